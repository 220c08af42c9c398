import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import { renderTemplate, templateData } from '../../src/emit/project-templates.js';
import { formatReadme, PLAIN_CELL } from '../../src/emit/readme-table.js';
import { loadDocument } from '../../src/load/index.js';
import { planDocument } from '../../src/plan/plan-document.js';
import { SPECS } from '../support/generated-project.js';

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
    // HTML is printed as written: only the cells with emphasis and escapes reach prettier.
    expect(seen.join('\n')).not.toContain('<p>With');
    expect(seen.join('\n')).toContain('*Stars*');
  });
});

/** The cells a list prints, as prettier prints them in a one-column table (printCells' batch). */
async function printedCells(cells: readonly string[]): Promise<string[]> {
  const table = await format(['| cell |', '| --- |', ...cells.map((cell) => `| ${cell} |`), ''].join('\n'));
  return table
    .split('\n')
    .slice(2, -1)
    .map((line) => line.slice(2, -2).trimEnd());
}

/** A cell formatReadme prints as it is (see printCells). */
const kept = (cell: string) => PLAIN_CELL.test(cell) && !/ {2}/.test(cell);

/** Every tools-table cell the README template writes for each spec of the corpus (single files). */
async function corpusCells(): Promise<string[]> {
  const cells = new Set<string>();
  const files = readdirSync(SPECS).filter((f) => /\.(ya?ml|json)$/.test(f) && statSync(join(SPECS, f)).isFile());
  for (const file of files.sort()) {
    let plan;
    try {
      plan = planDocument(await loadDocument(join(SPECS, file), { validate: false })).plan;
    } catch {
      continue; // a spec that does not load (a dangling $ref) has no README
    }
    if (!plan) continue;
    const text = renderTemplate('README.md.hbs', templateData(plan.model, plan.options));
    const lines = text.split('\n');
    const start = lines.indexOf('| tool | operation | description |');
    for (let i = start + 2; i < lines.length && lines[i]!.startsWith('| '); i++)
      for (const cell of lines[i]!.slice(2, -2).split(' | ')) cells.add(cell.trim());
  }
  return [...cells];
}

describe('PLAIN_CELL: the cells formatReadme keeps are what prettier prints (issue 8: no prettier for stripe)', () => {
  test('every tools-table cell of the corpus it keeps', { timeout: 120_000 }, async () => {
    const cells = (await corpusCells()).filter(kept);
    expect(cells.length).toBeGreaterThan(SPECS.endsWith('fixtures/specs') ? 50 : 10_000);
    // HTML summaries (stripe) and snake_case names (airflow, slack) among them.
    expect(cells.some((cell) => cell.includes('</p>'))).toBe(SPECS.endsWith('shared/specs'));
    expect(cells.some((cell) => /^`[a-z]+_[a-z_]+`$/.test(cell))).toBe(true);
    expect(await printedCells(cells)).toEqual(cells);
  });

  test('random cells of the characters it allows, HTML, autolinks, snake_case and code spans', async () => {
    const atom = fc.constantFrom(
      ...['a', 'Z', '9', 'é', '日', ' ', ',', '.', ';', ':', "'", '"', '(', ')', '/', '?', '%', '+', '=', '@'],
      ...['$', '!', '{', '}', '-', '#', '’', '<', '>', '_', '_a', 'a_', 'a_b', 'a__b', '`x`', '`a_b`', '1.', '1)'],
      ...['<p>', '</p>', '<a href="/x">', '</a>', '<code>', '<br/>', '<!--', '-->', '<?', '?>', '<!DOCTYPE x>'],
      ...['<https://x.y>', 'http://a.b/c_d', 'www.x.com', 'a@b.co', '#1', '# ', '- ', '+ ', '---', ':-', 'x:y'],
    );
    const cell = fc.array(atom, { minLength: 1, maxLength: 12 }).map((atoms) => atoms.join('').trim());
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 40 }), async (raw) => {
        const cells = raw.filter((c) => c !== '' && kept(c));
        expect(await printedCells(cells)).toEqual(cells);
      }),
      { numRuns: 150, seed: 8 },
    );
  });

  test('cells prettier would change are not kept', () => {
    for (const cell of ['*a*', 'a_', '_a', '(_a_)', 'a &amp; b', 'a \\ b', '[a](b)', '~~a~~', 'a  b', '`a|b`'])
      expect(kept(cell)).toBe(false);
  });
});
