import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A document that breaks the OpenAPI schema (an unknown top-level key). */
const INVALID = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, unknown: 1 };

/** Runs `body` in a fresh process (ES module, `require` from swagger-parser's package) and returns what it prints. */
function run(body: string): Record<string, unknown> {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(path.join(REPO, 'package.json'))});
    const ajvLoaded = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/ajv/dist/2020'));
    const validate = async (SwaggerParser) => {
      try { await new SwaggerParser().validate(${JSON.stringify(INVALID)}); return 'valid'; } catch (error) { return error.message; }
    };
    ${body}`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as Record<string, unknown>;
}

describe('validate-document defers swagger-parser schema validator (ajv) to its first call (issue 8)', () => {
  test('loading the validation stage loads no ajv; swagger-parser own validate then loads it and reports as it does alone', () => {
    const deferred = run(`
      await import(${JSON.stringify(path.join(REPO, 'dist/src/load/validate-document.js'))});
      const before = ajvLoaded();
      const message = await validate(require('@apidevtools/swagger-parser'));
      console.log(JSON.stringify({ before, message, after: ajvLoaded() }));`);
    const alone = run(
      `console.log(JSON.stringify({ message: await validate(require('@apidevtools/swagger-parser')) }));`,
    );
    expect(deferred).toEqual({ before: false, message: alone['message'], after: true });
    expect(alone['message']).toMatch(/must NOT have additional properties/);
  });
});
