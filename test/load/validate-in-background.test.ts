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
    expect(settled.diagnostics).toContainEqual(expect.objectContaining({ code: 'SPEC_INVALID', pointer: '/paths/~1tutorial/get/responses' }));
  });

  test('loadDocument (the library API) returns settled documents only', async () => {
    expect((await loadDocument(INVALID)).pending).toBeUndefined();
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
    const { validateInBackground, BACKGROUND_LIMIT } = await import('../../src/load/validate-in-background.js');
    const document = (await loadDocument(INVALID, { validate: false })).document as Record<string, unknown>;
    const big = await (await validateInBackground(document, 'openapi3', 'x.yaml', BACKGROUND_LIMIT + 1)).diagnostics;
    const small = await (await validateInBackground(document, 'openapi3', 'x.yaml', 10)).diagnostics;
    expect(small.length).toBeGreaterThan(0);
    expect(big).toEqual(small);
  });
});
