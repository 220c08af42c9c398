import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hasErrors } from '../../src/diagnostics.js';
import { generateFromDocument, generateUnsettled } from '../../src/generate.js';
import { loadDocumentLazily } from '../../src/load/index.js';
import { strictLint } from '../../src/model/lint.js';
import { removeTempDirs, tempDir } from './cli-process.js';

/**
 * The CLI writes the project while the background schema validation still runs (issue 8), which
 * is sound because the validation only adds SPEC_INVALID warnings: whether the run has errors
 * (with --strict too) is known without it, and the report, once it settles, is what it was.
 */
describe('generateUnsettled: what is known before the schema validation settles', () => {
  afterAll(removeTempDirs);

  const spec = (extra: Record<string, unknown>) => {
    const file = join(tempDir('unsettled'), 'spec.json');
    writeFileSync(
      file,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'T', version: '1' },
        paths: { '/a': { get: { operationId: 'getA', responses: { '200': { description: 'ok' } } } } },
        ...extra,
      }),
    );
    return file;
  };

  test.each([
    ['a spec that breaks the OpenAPI schema', { 'not-a-keyword': 1 }],
    ['a valid spec', {}],
  ])('%s: the same files and report as generateFromDocument; the validation adds warnings only', async (_, extra) => {
    const file = spec(extra);
    const settled = await generateFromDocument(await loadDocumentLazily(file), { specLabel: 'spec.json' });
    const unsettled = await generateUnsettled(await loadDocumentLazily(file), { specLabel: 'spec.json' });
    const all = await unsettled.diagnostics();
    expect(all).toEqual(settled.diagnostics);
    expect(unsettled.files).toEqual(settled.files);
    const late = all.filter((d) => !unsettled.known.includes(d));
    expect(late.every((d) => d.code === 'SPEC_INVALID' && d.severity === 'warning')).toBe(true);
    expect(unsettled.known).toEqual(all.filter((d) => !late.includes(d)));
    expect(late.length > 0).toBe(Object.keys(extra).length > 0);
    for (const strict of [false, true]) {
      const view = strict ? strictLint : (d: typeof all) => d;
      expect(hasErrors(view(unsettled.known))).toBe(hasErrors(view(all)));
    }
  });
});
