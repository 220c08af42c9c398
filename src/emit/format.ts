import * as prettier from 'prettier';

/** One prettier configuration, pinned with the prettier version in package.json, so output bytes never depend on a user's setup. */
const OPTIONS: prettier.Options = { singleQuote: true, printWidth: 120, trailingComma: 'all', endOfLine: 'lf' };

const PARSERS: readonly [RegExp, string][] = [
  [/\.ts$/, 'typescript'],
  // What `prettier --check` infers for package.json in the generated project (JSON.stringify's layout).
  [/(^|\/)package\.json$/, 'json-stringify'],
  [/\.json$/, 'json'],
  [/\.md$/, 'markdown'],
  [/\.ya?ml$/, 'yaml'],
];

/** Formats a file by its name; files prettier has no parser for are returned with a single trailing newline. */
export async function formatFile(path: string, content: string): Promise<string> {
  const parser = PARSERS.find(([re]) => re.test(path))?.[1];
  if (!parser) return content.replace(/\s*$/, '\n');
  return prettier.format(content, { ...OPTIONS, parser, filepath: path });
}
