import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import swagger2openapi from 'swagger2openapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { convertSwagger2 } from '../../src/load/convert-swagger2.js';

const specs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/specs');

const SWAGGER2_SPECS = ['oai-petstore-expanded-v2.json', 'oai-uber.json', 'gotify-server.json'];

async function swagger2(name = SWAGGER2_SPECS[0]!): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(specs, name), 'utf8')) as Record<string, unknown>;
}

describe('convertSwagger2', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands swagger2openapi a source text, so it does not stringify the whole document to YAML (issue 8)', async () => {
    const spy = vi.spyOn(swagger2openapi, 'convertObj');
    await convertSwagger2(await swagger2(), 'petstore-v2.json');
    const options = spy.mock.calls[0]![1];
    expect(typeof options.text).toBe('string');
    expect((options.text as string).length).toBeGreaterThan(0);
  });

  it.each(SWAGGER2_SPECS)(
    'converts %s exactly as swagger2openapi does when it builds that text itself',
    async (name) => {
      const ours = await convertSwagger2(await swagger2(name), name);
      const theirs = await swagger2openapi.convertObj(await swagger2(name), {
        patch: true,
        warnOnly: true,
        resolve: false,
        warnProperty: 'x-openapi-to-mcp-conversion-warning',
      });
      // Without the warning markers, which convertSwagger2 turns into diagnostics.
      const unmarked = JSON.stringify(theirs.openapi, (key, value: unknown) =>
        key === 'x-openapi-to-mcp-conversion-warning' ? undefined : value,
      );
      expect(ours.document).toEqual(JSON.parse(unmarked));
    },
  );
});
