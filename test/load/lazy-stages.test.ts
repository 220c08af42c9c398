import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(REPO, 'fixtures/load');

/** Loads `spec` with the compiled loader (validation off) in a fresh process; the heavy packages it required. */
function heavyModulesAfterLoading(spec: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    const { loadDocument } = await import(${JSON.stringify(path.join(REPO, 'dist/src/load/index.js'))});
    await loadDocument(${JSON.stringify(spec)}, { validate: false });
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(['@apidevtools/swagger-parser', '@apidevtools/json-schema-ref-parser', 'swagger2openapi', 'ajv'].filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')))));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

describe('the loader requires the bundler and the Swagger 2.0 converter only when a spec needs them (issue 8)', () => {
  test('a single-file OpenAPI 3 spec loads neither', () => {
    expect(heavyModulesAfterLoading(path.join(fixtures, 'data-refs.yaml'))).toEqual([]);
  });

  test('a multi-file spec loads the bundler', () => {
    const multi = path.join(fixtures, 'multi-file');
    const root = path.join(multi, 'openapi.yaml');
    expect(heavyModulesAfterLoading(root)).toContain('@apidevtools/swagger-parser');
  });

  test('a Swagger 2.0 spec loads the converter', () => {
    expect(heavyModulesAfterLoading(path.join(fixtures, 'swagger2-form.yaml'))).toContain('swagger2openapi');
  });
});
