import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import { formatReadme } from '../../src/emit/readme-table.js';

const format = (markdown: string) =>
  prettier.format(markdown, {
    singleQuote: true,
    printWidth: 120,
    trailingComma: 'all',
    endOfLine: 'lf',
    parser: 'markdown',
  });

function readme(rows: readonly string[]): string {
  return [
    '# API',
    '',
    'Some  *text*.',
    '',
    '## Tools',
    '',
    '| tool | operation | description |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '## After',
    '',
    '- a',
    '* b',
    '',
  ].join('\n');
}

const PLAIN = [
  '| `list_pets` | `GET /pets` | List pets |',
  '| `get_pet` | `GET /pets/{id}` | Get one pet (by id) |',
  '| `empty` | `GET /e` |  |',
];
const FANCY = [
  '| `html` | `GET /h` | <p>With <a href="/x">HTML</a></p> |',
  '| `stars` | `GET /s` | *Stars*, __bold__ and a \\| pipe |',
  '| `wide` | `GET /w` | 日本語の説明 wide |',
];

describe('formatReadme prints the tools table as prettier would, without giving prettier the table', () => {
  test.each([
    ['plain cells', PLAIN],
    ['cells prettier rewrites, wide characters', [...PLAIN, ...FANCY]],
    ['a row GFM splits in four: the whole text goes to prettier', [...PLAIN, '| `split` | `GET /x` | a \\\\| b |']],
    ['no rows', []],
  ])('%s', async (_name, rows) => {
    const text = readme(rows);
    expect(await formatReadme(text, format)).toBe(await format(text));
  });

  test('plain rows never reach prettier', async () => {
    const seen: string[] = [];
    await formatReadme(readme([...PLAIN, ...FANCY]), (markdown) => {
      seen.push(markdown);
      return format(markdown);
    });
    expect(seen.join('\n')).not.toContain('list_pets');
    expect(seen.join('\n')).toContain('<p>With');
  });
});
