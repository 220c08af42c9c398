import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { FatalDiagnosticsError } from '../diagnostics.js';
import { parseAsciiJson } from './ascii-json-text.js';
import { parseYamlFast } from './parse-yaml-fast.js';
import type { Shape } from './ref-positions.js';

export interface ParsedText {
  readonly value: unknown;
  /** Non-fatal findings, such as duplicate YAML keys (the last one wins). */
  readonly diagnostics: readonly Diagnostic[];
  /** `tree` for JSON; YAML aliases may share objects (`graph`). */
  readonly shape: Shape;
}

/**
 * Parses a JSON or YAML document into plain JSON data (YAML 1.2 core schema,
 * merge keys allowed; no dates or other non-JSON values).
 *
 * Text that starts with `{` or `[` is tried as JSON first (fast, and what
 * large vendor specs are); when that fails and the file is `.json`, the JSON
 * parser's error position is reported, otherwise the text is read as YAML.
 * Throws `FatalDiagnosticsError` with `INPUT_PARSE_ERROR` (1-based line and
 * column) when the text is neither. YAML goes through js-yaml first (fast) and through `yaml`
 * (positions, duplicate keys, alias limits) when js-yaml finds anything to complain about.
 */
export function parseText(text: string, file: string, extension = ''): ParsedText {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = /\S/.exec(body)?.[0];
  if (first === '{' || first === '[') {
    try {
      return { value: JSON.parse(body), diagnostics: [], shape: 'tree' };
    } catch (error) {
      if (extension === '.json') throw jsonError(body, file, (error as Error).message);
    }
  } else if (extension === '.json') {
    throw parseError(file, 'A JSON document must start with `{` or `[`.', positionOf(body, body.search(/\S|$/)));
  }
  return parseYaml(body, file);
}

/**
 * `parseText` of a document's bytes: a document that starts as JSON does (`{` or `[` after JSON
 * whitespace) is parsed without decoding its UTF-8 where it can be (ascii-json-text.ts); anything
 * else, or JSON that does not parse that way, is decoded and goes through `parseText`.
 */
export function parseBytes(bytes: Buffer, file: string, extension = ''): ParsedText {
  if (startsAsJson(bytes)) {
    const fast = parseAsciiJson(bytes);
    if (fast !== undefined) return { value: fast.value, diagnostics: [], shape: 'tree' };
  }
  return parseText(bytes.toString('utf8'), file, extension);
}

/** The first byte that is not JSON whitespace (RFC 8259 §2) is `{` or `[`. */
function startsAsJson(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b || byte === 0x5b;
  }
  return false;
}

/** `yaml` (~30 ms to load) is required only where js-yaml declines a document: JSON specs and clean YAML never load it. */
let parseDocument: typeof Yaml.parseDocument | undefined;

function parseYaml(text: string, file: string): ParsedText {
  const fast = parseYamlFast(text);
  if (fast !== undefined) return { value: fast, diagnostics: [], shape: 'graph' };
  parseDocument ??= (createRequire(import.meta.url)('yaml') as typeof Yaml).parseDocument;
  // The precise path: error positions, duplicate-key warnings, alias limits.
  let document = parseDocument(text, { merge: true });
  const duplicates = document.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const fatalError = document.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  if (fatalError) {
    const pos = fatalError.linePos?.[0];
    throw parseError(
      file,
      cleanYamlMessage(fatalError.message),
      pos ? { line: pos.line, column: pos.col } : { line: 1, column: 1 },
    );
  }
  const diagnostics: Diagnostic[] = duplicates.map((e) => ({
    code: 'SPEC_INVALID',
    severity: 'warning',
    message: `${file}: ${cleanYamlMessage(e.message)}; the last value is used.`,
    file,
    ...(e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
    hint: 'Remove the duplicate key.',
  }));
  if (duplicates.length > 0) document = parseDocument(text, { merge: true, uniqueKeys: false });
  try {
    return { value: document.toJS({ maxAliasCount: 10_000 }), diagnostics, shape: 'graph' };
  } catch (error) {
    // Alias bombs and similar: the parser found no syntax error but cannot build the value.
    throw parseError(file, (error as Error).message, { line: 1, column: 1 });
  }
}

function jsonError(text: string, file: string, message: string): FatalDiagnosticsError {
  const match = / at position (\d+)/.exec(message);
  const offset = match ? Number(match[1]) : /end of JSON input/.test(message) ? text.length : 0;
  const cleaned = message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  return parseError(file, cleaned, positionOf(text, offset));
}

function cleanYamlMessage(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function parseError(file: string, reason: string, at: { line: number; column: number }): FatalDiagnosticsError {
  return new FatalDiagnosticsError([
    {
      code: 'INPUT_PARSE_ERROR',
      severity: 'error',
      message: `${file}:${at.line}:${at.column}: ${reason}`,
      file,
      line: at.line,
      column: at.column,
      hint: 'Fix the syntax at this position; the spec must be valid YAML or JSON.',
    },
  ]);
}
