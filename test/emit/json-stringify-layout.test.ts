import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import { printJsonStringifyLayout } from '../../src/emit/json-stringify-layout.js';
import { formatFile } from '../../src/emit/format.js';
import { renderTemplate } from '../../src/emit/project-templates.js';
import { GENERATOR_VERSION, dependencyVersions } from '../../src/emit/versions.js';

const OPTIONS = { singleQuote: true, printWidth: 120, trailingComma: 'all', endOfLine: 'lf' } as const;
const viaPrettier = (text: string) => prettier.format(text, { ...OPTIONS, parser: 'json-stringify' });

describe("package.json is laid out as prettier's json-stringify parser does, without prettier", () => {
  test.each([
    ['one line', '{"a":1,"b":[],"c":{},"d":[1,2],"e":"x y","f":{"g":[{"h":null}]},"i":true}'],
    ['mixed layout', '{\n  "name": "x",\n  "engines": { "node": ">=20" },\n  "files": ["a", "b"]\n}\n'],
    ['escapes as JSON.stringify writes them', '{"a": "say \\"hi\\" \\\\ \\n", "é": "日本"}'],
    ['long values', `{"long": "${'x'.repeat(200)}", "arr": ["${'y'.repeat(150)}"]}`],
  ])('%s', async (_name, text) => {
    expect(printJsonStringifyLayout(text)).toBe(await viaPrettier(text));
  });

  test.each([
    ['a number prettier keeps as written', '{"j": 1.50}'],
    ['an escape prettier keeps as written', '{"l": "\\u00e9"}'],
    ['a duplicate key', '{"a": 1, "a": 2}'],
    ['not an object', '"text"'],
    ['not JSON', '{a: 1}'],
  ])('leaves %s to prettier', async (_name, text) => {
    expect(printJsonStringifyLayout(text)).toBeUndefined();
  });

  test("the generated package.json takes this path and is prettier's output", async () => {
    const text = renderTemplate('package.json.hbs', {
      packageName: 'pets-mcp',
      server: { version: '1.0.0' },
      description: 'MCP server for "Pets"',
      versions: dependencyVersions(),
      generatorPackage: '@openapi-to-mcp/cli',
      generatorVersion: GENERATOR_VERSION,
    });
    expect(printJsonStringifyLayout(text)).toBeDefined();
    expect(await formatFile('package.json', text)).toBe(await viaPrettier(text));
  });
});
