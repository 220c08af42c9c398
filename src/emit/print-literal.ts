import { createRequire } from 'node:module';
import { ES5_IDENTIFIER_NAME } from './es5-identifier-name.js';

/**
 * Prints JSON data as a TypeScript literal that is already in the project's prettier formatting
 * (src/emit/format.ts: `singleQuote`, `printWidth: 120`, `trailingComma: 'all'`, two-space indent),
 * so the data tables need no prettier pass: formatting them was half of the generator's time.
 *
 * It reproduces what prettier 3 prints for the `JSON.stringify(value, null, 2)` text the tables
 * used to be built from: every non-empty object broken (prettier keeps an object expanded when
 * its source has a newline after `{`); an array on one line when it fits, else one element per
 * line (numbers filled); keys unquoted when they are identifier names; strings in the quote that
 * needs fewer escapes; a long string after a long key moved to the next line. A test formats
 * the corpus's tables with prettier and requires no change (test/emit/print-literal.test.ts).
 *
 * Values are JSON data: `undefined` and functions are dropped from objects and become `null` in
 * arrays, non-finite numbers become `null`, exactly as `JSON.stringify` does.
 */
export function printLiteral(value: unknown, indent = 0, column = indent, trail = 1): string {
  return print(value, indent, column, trail, false);
}

/**
 * The same data as prettier prints the one-line `JSON.stringify(value)` text (a template's
 * `{{{json value}}}`): objects are then groups like arrays, on one line when they fit (prettier
 * breaks an object only when it does not fit, or when its source has a newline after `{`).
 * Used for test/cases.gen.ts, so prettier's TypeScript printer need not load (issue 8).
 */
export function printOneLineLiteral(value: unknown, indent = 0, column = indent, trail = 1): string {
  return print(value, indent, column, trail, true);
}

// prettier's standalone build (85 KB) has the same `getStringWidth` as its main entry (680 KB, ~50-80 ms to
// load, issue 8), which generation then need not load at all where nothing else is formatted (GitHub's API).
// It is required on the first text that is not printable ASCII (GitHub's tables have none), not at start.
// (Its types leave `util` out; the module exports it, and a test compares it with the main entry's.)
let getStringWidth: ((text: string) => number) | undefined;
const stringWidth = (text: string): number => {
  getStringWidth ??= (
    createRequire(import.meta.url)('prettier/standalone') as { util: { getStringWidth(text: string): number } }
  ).util.getStringWidth;
  return getStringWidth(text);
};

const WIDTH = 120;
const TAB = 2;
const ASCII_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Printable ASCII but `'` and `\`: what `quote` prints between single quotes unchanged (a `"` needs no escape there). */
const PLAIN_STRING = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

type Obj = Readonly<Record<string, unknown>>;

/** `oneLine`: the source text had no newlines, so objects break only when they must (see printOneLineLiteral). */
function print(value: unknown, indent: number, column: number, trail: number, oneLine: boolean): string {
  if (Array.isArray(value)) return printArray(value, indent, column, trail, oneLine);
  if (isObject(value)) return printObject(value, indent, column, trail, oneLine);
  return atom(value);
}

function printObject(value: Obj, indent: number, column: number, trail: number, oneLine: boolean): string {
  const entries = members(value);
  if (entries.length === 0) return '{}';
  if (oneLine && !forcesBreak(value, true)) {
    const flat = flatValue(value, true);
    if (column + width(flat) + trail <= WIDTH) return flat;
  }
  const inner = indent + TAB;
  const pad = ' '.repeat(inner);
  let out = '{\n';
  for (const [key, v] of entries) out += `${pad}${printProperty(key, v, inner, oneLine)},\n`;
  return `${out}${' '.repeat(indent)}}`;
}

/**
 * prettier's assignment layouts for `key: value`: a key of at most 4 columns never breaks;
 * a string after a longer key goes to the next line when the line is too long
 * (break-after-operator); `null`, negative numbers, arrays and objects stay unless even
 * `key: [` does not fit (fluid); other numbers and booleans never break.
 */
function printProperty(key: string, value: unknown, indent: number, oneLine: boolean): string {
  const k = printKey(key);
  const kw = width(k);
  const short = kw < TAB + 3;
  const next = (): string =>
    `${k}:\n${' '.repeat(indent + TAB)}${print(value, indent + TAB, indent + TAB, 1, oneLine)}`;
  if (typeof value === 'string') {
    // A plain string is printed as it is between quotes: its width is its length (one scan of it, not three).
    const plain = PLAIN_STRING.test(value);
    const s = plain ? `'${value}'` : quoteEscaped(value);
    const sw = plain ? s.length : width(s);
    return short || indent + kw + 2 + sw + 1 <= WIDTH ? `${k}: ${s}` : `${k}:\n${' '.repeat(indent + TAB)}${s}`;
  }
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value) && !isNegative(value))) {
    return `${k}: ${atom(value)}`;
  }
  if (short) return `${k}: ${print(value, indent, indent + kw + 2, 1, oneLine)}`;
  const opensBlock = (Array.isArray(value) && value.length > 0) || (isObject(value) && hasMembers(value, 1));
  // Fluid: what must fit is `key: [` (a block) or the whole `key: null,` (an atom).
  const need = opensBlock ? 1 : width(print(value, indent, 0, 1, oneLine)) + 1;
  return indent + kw + 2 + need <= WIDTH ? `${k}: ${print(value, indent, indent + kw + 2, 1, oneLine)}` : next();
}

function printArray(
  value: readonly unknown[],
  indent: number,
  column: number,
  trail: number,
  oneLine: boolean,
): string {
  if (value.length === 0) return '[]';
  const items = value.map(element);
  if (!hard(items, oneLine)) {
    const flat = flatArray(items, oneLine);
    if (column + width(flat) + trail <= WIDTH) return flat;
    if (items.every((v) => typeof v === 'number')) return fill(items, indent);
  }
  const inner = indent + TAB;
  const pad = ' '.repeat(inner);
  let out = '[\n';
  for (const item of items) out += `${pad}${print(item, inner, inner, 1, oneLine)},\n`;
  return `${out}${' '.repeat(indent)}]`;
}

/** prettier fills arrays of numbers: as many per line as fit, each followed by its comma. */
function fill(items: readonly number[], indent: number): string {
  const inner = indent + TAB;
  let out = `[\n${' '.repeat(inner)}`;
  let column = inner;
  items.forEach((n, i) => {
    const text = `${atom(n)},`;
    if (i > 0) {
      if (column + 1 + text.length <= WIDTH) {
        out += ' ';
        column += 1;
      } else {
        out += `\n${' '.repeat(inner)}`;
        column = inner;
      }
    }
    out += text;
    column += text.length;
  });
  return `${out}\n${' '.repeat(indent)}]`;
}

/**
 * True when the array cannot print on one line whatever the width: it holds a non-empty object
 * (always broken, unless `oneLine`), or it is 2+ arrays or 2+ objects each with 2+ entries (prettier's rule for
 * matrices and lists of records), or an element is itself such an array (a forced break breaks
 * every enclosing group).
 */
function hard(items: readonly unknown[], oneLine: boolean): boolean {
  if (items.length > 1) {
    const matrix = items.every((v, i) => {
      const n = i + 1 < items.length ? items[i + 1] : undefined;
      if (Array.isArray(v)) return (n === undefined || Array.isArray(n)) && v.length > 1;
      if (isObject(v)) return (n === undefined || isObject(n)) && hasMembers(v, 2);
      return false;
    });
    if (matrix) return true;
  }
  return items.some((v) => forcesBreak(v, oneLine));
}

/** A value whose printing breaks a line whatever the width, which breaks every enclosing group too. */
function forcesBreak(v: unknown, oneLine: boolean): boolean {
  if (Array.isArray(v)) return hard(v.map(element), oneLine);
  if (!isObject(v)) return false;
  return oneLine ? members(v).some(([, m]) => forcesBreak(m, true)) : hasMembers(v, 1);
}

function flatArray(items: readonly unknown[], oneLine: boolean): string {
  return `[${items.map((v) => flatValue(v, oneLine)).join(', ')}]`;
}

/** A value on one line; an object prints as `{}` unless `oneLine` (elsewhere non-empty objects are hard). */
function flatValue(v: unknown, oneLine: boolean): string {
  if (Array.isArray(v)) return flatArray(v.map(element), oneLine);
  if (!isObject(v)) return atom(v);
  const entries = members(v);
  if (!oneLine || entries.length === 0) return '{}';
  return `{ ${entries.map(([key, m]) => `${printKey(key)}: ${flatValue(m, true)}`).join(', ')} }`;
}

function atom(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'null';
    const text = JSON.stringify(value);
    return text.startsWith('-') ? `-${printNumber(text.slice(1))}` : printNumber(text);
  }
  if (typeof value === 'boolean') return String(value);
  return 'null';
}

/** prettier's number normalization (lower case, no `+` or leading zeros in the exponent, no trailing zeros). */
function printNumber(text: string): string {
  return text
    .toLowerCase()
    .replace(/^([+-]?[\d.]+e)(?:\+|(-))?0*(?=\d)/, '$1$2')
    .replace(/^([+-]?[\d.]+)e[+-]?0+$/, '$1')
    .replace(/^([+-])?\./, '$10.')
    .replace(/(\.\d+?)0+(?=e|$)/, '$1')
    .replace(/\.(?=e|$)/, '');
}

/**
 * A string literal as prettier prints it: single quotes unless the text holds more single than
 * double quotes; the escapes are JSON's (so the value is exactly the data), with the one quote
 * character that needs it escaped.
 */
function quote(value: string): string {
  // Most strings need no escape at all: printable ASCII without `'` or `\` is printed as it is.
  return PLAIN_STRING.test(value) ? `'${value}'` : quoteEscaped(value);
}

/** `quote` for a string that is not plain (`PLAIN_STRING`). */
function quoteEscaped(value: string): string {
  const content = JSON.stringify(value).slice(1, -1);
  let singles = 0;
  let doubles = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 39) singles++;
    else if (c === 34) doubles++;
  }
  if (singles > doubles) return `"${content}"`;
  if (singles === 0 && doubles === 0) return `'${content}'`;
  return `'${content.replace(/\\(["'\\])|(["'])/g, (match, escaped?: string, bare?: string) => (escaped ? (escaped === '"' ? '"' : match) : bare === "'" ? "\\'" : (bare as string)))}'`;
}

/** prettier's `quoteProps: 'as-needed'`: identifier names lose their quotes, everything else is a string. */
function printKey(key: string): string {
  if (ASCII_IDENTIFIER.test(key)) return key;
  if (!PRINTABLE_ASCII.test(key) && ES5_IDENTIFIER_NAME.test(key)) return key;
  return quote(key);
}

/** Columns as prettier counts them (wide East Asian characters take two). */
/** Display width: printable ASCII counts one per character, the rest as prettier measures it. */
export function width(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

function element(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? null : value;
}

function members(value: Obj): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') out.push([key, v]);
  }
  return out;
}

/**
 * `members(value).length >= n`, without building the entries (asked of every object in a table,
 * several times over, issue 8). `for...in`: the printed values are JSON data and model objects,
 * which inherit nothing enumerable, so it sees the keys `Object.keys` does.
 */
function hasMembers(value: Obj, n: number): boolean {
  let count = 0;
  for (const key in value) {
    const v = value[key];
    if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol' && ++count >= n) return true;
  }
  return false;
}

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNegative(value: number): boolean {
  return value < 0;
}
