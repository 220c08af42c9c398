import { parseJsonOrUndefined } from '../parse-json.js';

/** A JSON string token, a run of whitespace, or anything else. */
const TOKENS = /"(?:[^"\\]|\\.)*"|\s+|[^\s"]+/g;

/**
 * What prettier's `json-stringify` parser (package.json) prints, without loading prettier: it lays
 * JSON out as `JSON.stringify(value, null, 2)` does but keeps each literal's source text (`1.50`,
 * `"\u00e9"`). So this answers only when every literal, key and the order are already as
 * `JSON.stringify` writes them (the text without its whitespace is `JSON.stringify(value)`);
 * otherwise undefined, and prettier formats the file (issue 8: the parser loads prettier's babel
 * and estree plugins).
 */
export function printJsonStringifyLayout(text: string): string | undefined {
  const value = parseJsonOrUndefined(text);
  if (value === null || typeof value !== 'object') return undefined;
  const compact = (text.match(TOKENS) ?? []).filter((token) => !/^\s/.test(token)).join('');
  if (compact !== JSON.stringify(value)) return undefined;
  return `${JSON.stringify(value, null, 2)}\n`;
}
