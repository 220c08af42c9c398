import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

/**
 * Written by `npm run build` (scripts/preformat-templates.mjs): prettier's output for every scaffold
 * template that renders the same text for every spec (no `{{`), keyed by `preformatKey`. Shipped in
 * dist/, so generating a project need not load prettier's TypeScript printer for them (issue 8).
 */
export const PREFORMATTED_FILE = join(PACKAGE_ROOT, 'dist', 'preformatted-templates.json');

/** The key of one text as one prettier parser reads it: output depends on nothing else (options are fixed). */
export function preformatKey(parser: string, text: string): string {
  return createHash('sha256').update(parser).update('\u0000').update(text).digest('hex');
}

let table: ReadonlyMap<string, string> | undefined;

/**
 * prettier's output for `text` as built into this package, or undefined (not a constant template, or
 * no build output: the sources run under a test runner). A miss only means prettier runs: the
 * key is the text itself, so an edited template can never be answered with a stale format.
 */
export function preformatted(parser: string, text: string): string | undefined {
  table ??= readTable();
  if (table.size === 0) return undefined;
  return table.get(preformatKey(parser, text));
}

function readTable(): ReadonlyMap<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(PREFORMATTED_FILE, 'utf8'));
  } catch {
    return new Map();
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return new Map();
  return new Map(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
