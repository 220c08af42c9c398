import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import type { EmittedFile } from '../../src/emit/emit-project.js';
import { generateFromDocument } from '../../src/generate.js';
import { loadDocument } from '../../src/load/index.js';
import { REPO } from '../support/generated-project.js';
import { loaded } from '../model/literal-document.js';

/** The configuration of src/emit/format.ts, as a generated project's `prettier --check` would use it. */
const OPTIONS = { singleQuote: true, printWidth: 120, trailingComma: 'all', endOfLine: 'lf' } as const;

async function unformatted(files: readonly EmittedFile[]): Promise<string[]> {
  const bad: string[] = [];
  // src/runtime/ is a byte-for-byte copy of templates/runtime/, which is formatted in this repository too.
  for (const file of files) {
    const info = await prettier.getFileInfo(file.path);
    if (!info.inferredParser) continue;
    if (!(await prettier.check(file.content, { ...OPTIONS, filepath: file.path }))) bad.push(file.path);
  }
  return bad;
}

/** Summaries prettier's markdown printer rewrites, next to plain ones, for the README's tools table. */
const SUMMARIES = [
  'List pets',
  '<p>With <a href="/docs">HTML</a>, you can</p>',
  'Uses *stars* and __underscores__ and a | pipe',
  'Two  spaces and `code` and GITHUB_TOKEN',
  '日本語の説明 with wide characters',
  'See https://example.com/docs or www.example.com',
  '',
];

/** A backslash before a pipe: the README's escaping makes it `\\|`, so GFM splits the row there. */
const SPLIT_ROW = 'a \\| b';

describe('a generated project passes prettier --check (tables and README are printed, not formatted)', () => {
  test('fixtures/petstore-3.1.yaml', async () => {
    const result = await generateFromDocument(await loadDocument(join(REPO, 'fixtures/petstore-3.1.yaml')), {
      specLabel: 'petstore-3.1.yaml',
    });
    expect(result.files.length).toBeGreaterThan(10);
    expect(await unformatted(result.files)).toEqual([]);
  });

  test.each([
    ['tricky summaries, keys and values', SUMMARIES],
    ['a README row that GFM splits in four (formatted by prettier as a whole)', [...SUMMARIES, SPLIT_ROW]],
  ])('%s', async (_name, summaries) => {
    const paths = Object.fromEntries(
      summaries.map((summary, i) => [
        `/things/{id}/v${i}`,
        {
          get: {
            operationId: `thing_${i}`,
            summary,
            parameters: [
              {
                name: 'id',
                in: 'path',
                required: true,
                schema: { type: 'string', enum: ['a', "it's", 'say "x"', 'ü'], description: summary.repeat(4) },
              },
            ],
            responses: {
              '200': {
                description: 'OK',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: { 'x-odd key': { type: 'integer', enum: [1, 2, 3, -4, 1e21] } },
                    },
                  },
                },
              },
            },
          },
        },
      ]),
    );
    const result = await generateFromDocument(loaded({ paths }), { specLabel: 'tricky.yaml' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const readme = result.files.find((f) => f.path === 'README.md');
    expect(readme?.content).toContain('| `thing_1` ');
    expect(await unformatted(result.files)).toEqual([]);
  });
});
