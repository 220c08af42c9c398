import { width } from './print-literal.js';
import { parseJsonOrUndefined } from '../parse-json.js';

const WIDTH = 120;
const OPEN = '```json';
const CLOSE = '```';
const PLACEHOLDER = 'OpenapiToMcpJsonBlockPlaceholder';

/**
 * Runs `format` (prettier's markdown) on a README without its ```json code blocks: prettier formats
 * such a block with its JSON printer, and loading prettier's babel and estree plugins for the
 * client snippets cost ~0.5 s per run (issue 8). Each block whose text is `JSON.stringify(value,
 * null, 2)` of objects, strings, atoms and arrays of atoms is taken out, and printed here the way
 * prettier's `json` parser prints it; any other block stays in the text for prettier. If a
 * placeholder does not come back exactly once, the whole text goes to `format`.
 */
export async function formatOutsideJsonBlocks(
  text: string,
  format: (markdown: string) => Promise<string>,
): Promise<string> {
  const lines = text.split('\n');
  const blocks: string[] = [];
  const kept: string[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      kept.push(line);
      continue;
    }
    const open = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (open === undefined) {
      kept.push(line);
      continue;
    }
    const close = line === OPEN ? lines.indexOf(CLOSE, i + 1) : -1;
    const printed = close < 0 ? undefined : printJsonBlock(lines.slice(i + 1, close).join('\n'));
    if (printed === undefined) {
      fence = open;
      kept.push(line);
      continue;
    }
    kept.push(`${PLACEHOLDER}${blocks.length}`);
    blocks.push([OPEN, printed, CLOSE].join('\n'));
    i = close;
  }
  if (blocks.length === 0) return format(text);
  const formatted = (await format(kept.join('\n'))).split('\n');
  for (let b = 0; b < blocks.length; b++) {
    const at = formatted.indexOf(`${PLACEHOLDER}${b}`);
    if (at < 0 || formatted.indexOf(`${PLACEHOLDER}${b}`, at + 1) >= 0) return format(text);
    formatted[at] = blocks[b] as string;
  }
  return formatted.join('\n');
}

/**
 * A code block's JSON as prettier's `json` parser prints it, or undefined when the text is not
 * `JSON.stringify(value, null, 2)` of values this printer knows. Objects keep their lines (their
 * source breaks after `{`); an array of atoms goes on one line when it fits; a property never
 * breaks after its colon (prettier's layout for JSON); strings and keys keep their JSON text.
 */
export function printJsonBlock(text: string): string | undefined {
  const value = parseJsonOrUndefined(text);
  if (value === undefined) return undefined;
  if (JSON.stringify(value, null, 2) !== text || !known(value)) return undefined;
  return print(value, 0, 0, 0);
}

function known(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((v) => v === null || typeof v !== 'object');
  if (value !== null && typeof value === 'object') return Object.values(value).every(known);
  return true;
}

function print(value: unknown, indent: number, column: number, trail: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => JSON.stringify(v));
    const flat = `[${items.join(', ')}]`;
    if (column + width(flat) + trail <= WIDTH) return flat;
    const pad = ' '.repeat(indent + 2);
    return `[\n${items.map((item) => `${pad}${item}`).join(',\n')}\n${' '.repeat(indent)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const pad = ' '.repeat(indent + 2);
    const members = entries.map(([key, v], i) => {
      const head = `${pad}${JSON.stringify(key)}: `;
      return `${head}${print(v, indent + 2, width(head), i < entries.length - 1 ? 1 : 0)}`;
    });
    return `{\n${members.join(',\n')}\n${' '.repeat(indent)}}`;
  }
  return JSON.stringify(value);
}
