import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadDocument, loadDocumentLazily, settle } from '../../src/load/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(REPO, 'fixtures/load');
/** Breaks the OpenAPI schema in two places: SPEC_INVALID warnings from the validation. */
const INVALID = path.join(fixtures, 'invalid-but-usable.yaml');

describe('schema validation beside the model (issue 8)', () => {
  test('loadDocumentLazily leaves the validation pending; settle puts its warnings where loadDocument has them', async () => {
    const lazy = await loadDocumentLazily(INVALID);
    expect(lazy.pending).toBeDefined();
    expect(lazy.diagnostics.some((d) => d.code === 'SPEC_INVALID' && d.pointer?.startsWith('/paths/'))).toBe(false);
    const settled = await settle(lazy);
    expect(settled.pending).toBeUndefined();
    expect(settled.diagnostics).toEqual((await loadDocument(INVALID)).diagnostics);
    expect(settled.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'SPEC_INVALID', pointer: '/paths/~1tutorial/get/responses' }),
    );
  });

  test('loadDocument (the library API) returns settled documents only', async () => {
    expect((await loadDocument(INVALID)).pending).toBeUndefined();
  });

  test('a load that fails does not leave its idle worker behind (the process exits)', async () => {
    const compiled = path.join(REPO, 'dist/src/load/index.js');
    const script = `const { loadDocument } = await import(${JSON.stringify(compiled)}); await loadDocument(${JSON.stringify(path.join(fixtures, 'malformed.yaml'))}).catch(() => {}); console.log('done');`;
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stdout.trim()).toBe('done');
    expect(run.status).toBe(0);
  });

  test('the compiled loader validates on a worker thread with the same warnings', async () => {
    const compiled = path.join(REPO, 'dist/src/load/index.js');
    expect(existsSync(path.join(REPO, 'dist/src/load/validate-worker.js'))).toBe(true);
    const dist = (await import(compiled)) as typeof import('../../src/load/index.js');
    const viaWorker = await dist.settle(await dist.loadDocumentLazily(INVALID));
    expect(viaWorker.diagnostics).toEqual((await loadDocument(INVALID)).diagnostics);
  });
});

describe('documents above BACKGROUND_LIMIT', () => {
  test('are validated in series (no second copy beside the model), with the same warnings', async () => {
    const { startValidator, BACKGROUND_LIMIT } = await import('../../src/load/validate-in-background.js');
    const document = (await loadDocument(INVALID, { validate: false })).document as Record<string, unknown>;
    const big = await (await startValidator(BACKGROUND_LIMIT + 1).validate(document, 'openapi3', 'x.yaml')).diagnostics;
    const small = await (await startValidator(10).validate(document, 'openapi3', 'x.yaml')).diagnostics;
    expect(small.length).toBeGreaterThan(0);
    expect(big).toEqual(small);
  });
});
