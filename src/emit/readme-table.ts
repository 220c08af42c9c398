import { constantEnvCells } from './env-docs.js';
import { width } from './print-literal.js';
import { formatOutsideJsonBlocks } from './readme-json.js';

const HEADER = '| tool | operation | description |';
const DELIMITER = '| --- | --- | --- |';
const PLACEHOLDER = 'OpenapiToMcpToolsTablePlaceholder';
const ENV_HEADER = '| variable | meaning | default |';
/** A `|` not escaped by a backslash: GFM splits the cell there (even inside a code span). */
const UNESCAPED_PIPE = /(?:^|[^\\])(?:\\\\)*\|/;

/**
 * A cell prettier's markdown printer leaves as it is: words, common punctuation, `#`, `’`, inline
 * HTML (`<p>`, `<a href="...">`: prettier prints HTML nodes as written, and a `<` that starts no
 * tag is a character of a word), `_` between two letters or digits (snake_case: prettier escapes
 * an underscore only next to punctuation or at a word's edge), and code spans without backticks,
 * pipes or backslashes. Anything else (emphasis, `&` entities, escapes, links, runs of spaces) is
 * printed by prettier itself. A test formats every cell of the specs in /work/shared/specs and
 * random cells of these characters with prettier (test/emit/readme-table.test.ts): stripe's HTML
 * summaries no longer load prettier (issue 8).
 */
export const PLAIN_CELL =
  /^(?:[\p{L}\p{N},.;:'"()/?%+=@$!{}\- #’<>]|(?<=[\p{L}\p{N}])_+(?=[\p{L}\p{N}])|`[^`|\\\s](?:[^`|\\]*[^`|\\\s])?`)*$/u;

/**
 * Formats the generated README like prettier does, without handing prettier the tools table:
 * prettier's markdown table alignment took 1-2 s on GitHub's 1,223 rows (issue 8). The table is
 * taken out, the rest formatted by `format` (prettier), and the table printed aligned the way
 * prettier aligns it (each column padded to its widest cell, `---` rows as wide), with cells
 * prettier would change formatted by prettier in one small batch. Whenever the table is not
 * where and how the template writes it, the whole text goes to `format`: the output is always
 * prettier's.
 */
export async function formatReadme(
  text: string,
  markdown: (markdown: string) => Promise<string>,
  plain = false,
): Promise<string> {
  // The client snippets' JSON blocks are printed without prettier too (see readme-json.ts).
  const format = (part: string) => formatOutsideJsonBlocks(part, markdown);
  // `plain`: the template's text and every value in it are as prettier prints them (see
  // render-checked.ts), so apart from the tables the text needs no formatting (issue 8: loading
  // prettier's markdown printer and running it took 0.2-0.8 s per generation).
  const formatRest = plain ? async (part: string) => (await printedAsIs(part)) ?? format(part) : format;
  const lines = text.split('\n');
  const start = lines.indexOf(HEADER);
  if (start < 0 || lines.indexOf(HEADER, start + 1) >= 0 || lines[start + 1] !== DELIMITER) return format(text);
  let end = start + 2;
  while (end < lines.length && (lines[end] as string).startsWith('|')) end++;
  const rows = lines.slice(start + 2, end).map(cells);
  if (rows.some((row) => row === undefined || row.some((cell) => UNESCAPED_PIPE.test(cell)))) return format(text);
  const printed = await printCells(rows as string[][], format);
  if (printed === undefined) return format(text);
  const rest = await formatRest([...lines.slice(0, start), PLACEHOLDER, ...lines.slice(end)].join('\n'));
  const restLines = rest.split('\n');
  const at = restLines.indexOf(PLACEHOLDER);
  if (at < 0 || restLines.indexOf(PLACEHOLDER, at + 1) >= 0) return format(text);
  return [
    ...restLines.slice(0, at),
    ...alignedTable(['tool', 'operation', 'description'], printed),
    ...restLines.slice(at + 1),
  ].join('\n');
}

/** The three cells of a `| a | b | c |` row as the template writes it; undefined for anything else. */
function cells(line: string): string[] | undefined {
  if (!line.startsWith('| ') || !line.endsWith(' |')) return undefined;
  const parts = line.slice(2, -2).split(' | ');
  return parts.length === 3 ? parts.map((p) => p.trim()) : undefined;
}

/** Every cell as prettier prints it: plain cells as they are, the others through one prettier call. */
async function printCells(
  rows: readonly string[][],
  format: (markdown: string) => Promise<string>,
): Promise<string[][] | undefined> {
  const others = [...new Set(rows.flat().filter((cell) => !PLAIN_CELL.test(cell) || / {2}/.test(cell)))];
  const printed = new Map<string, string>();
  if (others.length > 0) {
    const table = await format(['| cell |', '| --- |', ...others.map((cell) => `| ${cell} |`), ''].join('\n'));
    const out = table.split('\n').slice(2, -1);
    if (out.length !== others.length) return undefined;
    for (let i = 0; i < out.length; i++) {
      const line = out[i] as string;
      if (!line.startsWith('| ') || !line.endsWith(' |') || UNESCAPED_PIPE.test(line.slice(2, -2))) return undefined;
      printed.set(others[i] as string, line.slice(2, -2).trimEnd());
    }
  }
  return rows.map((row) => row.map((cell) => printed.get(cell) ?? cell));
}

/** prettier's aligned GFM table: every column as wide as its widest cell (at least 3), cells padded with spaces. */
function alignedTable(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(3, width(h), ...rows.map((row) => width(row[i] as string))));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => cell + ' '.repeat((widths[i] as number) - width(cell))).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

/**
 * Markdown whose text is already as prettier prints it, except for the configuration table
 * (aligned here, if every cell is plain or one of the constant cells prettier keeps) and the JSON
 * blocks (printed by readme-json.ts); undefined when a cell or a block is not of those.
 */
async function printedAsIs(markdown: string): Promise<string | undefined> {
  const lines = markdown.split('\n');
  const start = lines.indexOf(ENV_HEADER);
  if (start < 0 || lines.indexOf(ENV_HEADER, start + 1) >= 0 || lines[start + 1] !== DELIMITER) return undefined;
  let end = start + 2;
  while (end < lines.length && (lines[end] as string).startsWith('|')) end++;
  const rows = lines.slice(start + 2, end).map(cells);
  const constant = constantEnvCells();
  const kept = (cell: string) => constant.has(cell) || (PLAIN_CELL.test(cell) && !/ {2}/.test(cell));
  if (rows.some((row) => row === undefined || !row.every(kept))) return undefined;
  const table = alignedTable(['variable', 'meaning', 'default'], rows as string[][]);
  const text = [...lines.slice(0, start), ...table, ...lines.slice(end)].join('\n');
  let unprinted = false;
  const printed = await formatOutsideJsonBlocks(text, (rest) => {
    // A JSON block left in the text would be prettier's to print.
    if (rest.split('\n').includes('```json')) unprinted = true;
    return Promise.resolve(rest);
  });
  return unprinted ? undefined : printed;
}
