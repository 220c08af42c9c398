import type { Options } from 'prettier';
import { printJsonStringifyLayout } from './json-stringify-layout.js';
import { preformatted } from './preformatted.js';

/** One prettier configuration, pinned with the prettier version in package.json, so output bytes never depend on a user's setup. */
export const PRETTIER_OPTIONS: Options = { singleQuote: true, printWidth: 120, trailingComma: 'all', endOfLine: 'lf' };

const PARSERS: readonly [RegExp, string][] = [
  [/\.ts$/, 'typescript'],
  // What `prettier --check` infers for package.json in the generated project (JSON.stringify's layout).
  [/(^|\/)package\.json$/, 'json-stringify'],
  [/\.json$/, 'json'],
  [/\.md$/, 'markdown'],
  [/\.ya?ml$/, 'yaml'],
];

/** The prettier parser `formatFile` uses for a path, or undefined when prettier does not format it. */
export function parserFor(path: string): string | undefined {
  return PARSERS.find(([re]) => re.test(path))?.[1];
}

/**
 * Formats a file by its name; files prettier has no parser for are returned with a single trailing newline.
 * Text formatted when this package was built (the scaffold templates that do not depend on the
 * spec: see preformatted.ts) is looked up, so prettier loads only for what varies (issue 8).
 */
export async function formatFile(path: string, content: string): Promise<string> {
  const parser = parserFor(path);
  if (!parser) return content.replace(/\s*$/, '\n');
  const known = preformatted(parser, content);
  if (known !== undefined) return known;
  const stringified = parser === 'json-stringify' ? printJsonStringifyLayout(content) : undefined;
  if (stringified !== undefined) return stringified;
  return formatWithPrettier(parser, path, content);
}

/** prettier itself, imported on first use. */
export async function formatWithPrettier(parser: string, path: string, content: string): Promise<string> {
  const prettier = await import('prettier');
  return prettier.format(content, { ...PRETTIER_OPTIONS, parser, filepath: path });
}
