import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import { PRETTIER_OPTIONS } from '../../src/emit/format.js';
import { printCasesFile } from '../../src/emit/cases-file.js';
import { renderTemplate } from '../../src/emit/project-templates.js';
import { readProjectTemplate } from '../../src/emit/runtime-files.js';

/** The generator's own prettier options: the printers must match what it would format. */
const OPTIONS = { ...PRETTIER_OPTIONS, parser: 'typescript' };
const TEMPLATE = 'cases.gen.ts.hbs';
const long = (n: number) => 'word '.repeat(n).trim();

/** What the file was before printCasesFile: the template rendered (one-line JSON), formatted by prettier. */
async function viaPrettier(cases: unknown): Promise<string> {
  return prettier.format(renderTemplate(TEMPLATE, { cases }), OPTIONS);
}

const aCase = (tool: string, extra: Record<string, unknown> = {}) => ({
  tool,
  arguments: { id: 1 },
  method: 'GET',
  path: `/things/1`,
  query: [],
  response: { ok: true },
  expectOk: true,
  expectBody: true,
  ...extra,
});

/** Each row is a layout prettier chooses for one-line JSON source; the printer must match it byte for byte. */
const CASES: [string, unknown][] = [
  ['no cases', []],
  ['one short case: the record breaks (too long), its small objects stay on one line', [aCase('a')]],
  ['a record that fits on one line', [{ tool: 'a', q: [] }]],
  ['records: 2+ objects with 2+ keys always break', [aCase('a'), aCase('b')]],
  [
    'nested objects that fit, and ones that do not',
    [
      aCase('nested', {
        arguments: { org: 'sample', runner_id: 1, body: { labels: ['sample'], nested: { deep: { deeper: [1, 2] } } } },
        jsonBody: { text: long(30), list: Array.from({ length: 40 }, (_, i) => i * 7), empty: {}, none: [] },
        response: {
          total_count: 1,
          items: [
            { id: 1, name: 'x' },
            { id: 2, name: 'y' },
          ],
          one: [{ id: 1, name: 'x' }],
          matrix: [
            ['a', 'b'],
            ['c', 'd'],
          ],
        },
      }),
    ],
  ],
  [
    'long strings and keys, quotes, wide characters',
    [
      aCase("it's", {
        arguments: { 'x-key': `say "hi" and 'bye'`, ['k'.repeat(100)]: long(10), 日本: '日本語'.repeat(20) },
        response: { message: long(25), negative: -1, big: 1e21, small: 1.5e-7, nothing: null },
      }),
    ],
  ],
  [
    'a record just at the width limit, and one past it',
    [
      { tool: 'x'.repeat(95), a: 1 },
      { tool: 'x'.repeat(96), a: 1 },
      { tool: 'x'.repeat(97), a: 1 },
    ],
  ],
  ['one record at the limit of its line', [{ tool: 'x'.repeat(58), arguments: { a: 1, b: 2 } }]],
  ['one record past the limit of its line', [{ tool: 'x'.repeat(59), arguments: { a: 1, b: 2 } }]],
];

describe('test/cases.gen.ts is printed as prettier formats the rendered template', () => {
  test('the template has the one slot printCasesFile expects', () => {
    expect(printCasesFile(readProjectTemplate(TEMPLATE), [])).toBeDefined();
  });

  test.each(CASES)('%s', async (_name, cases) => {
    const printed = printCasesFile(readProjectTemplate(TEMPLATE), cases);
    expect(printed).toBe(await viaPrettier(cases));
    expect(await prettier.check(printed!, OPTIONS)).toBe(true);
  });

  test('a template of another shape is left to prettier', () => {
    expect(printCasesFile('export const a = {{{json cases}}};\nexport const b = {{x}};\n', [])).toBeUndefined();
    expect(printCasesFile('{{x}} export const a = {{{json cases}}};\n', [])).toBeUndefined();
    expect(printCasesFile('export const a = {{{json cases}}} as const;\n', [])).toBeUndefined();
    expect(printCasesFile('export const a = 1;\n', [])).toBeUndefined();
  });
});
