import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

/** Looked for beside the spec, in this order. */
const CONFIG_FILE_NAMES = [
  'openapi-to-mcp.config.json',
  'openapi-to-mcp.config.yaml',
  'openapi-to-mcp.config.yml',
] as const;

/**
 * The configuration file beside a local spec: the folder of the spec file,
 * not the working directory, so the same spec always gets the same config.
 * A spec from stdin (`-`) or a URL has no "beside"; it gets a config only
 * through `--config`. Two candidates at once is an error: which one wins
 * must not depend on a lookup order the user cannot see.
 *
 * @returns the path (as the user would write it: relative when the spec was), or none.
 */
export function findConfig(
  spec: string,
  cwd: string,
): { readonly file?: string; readonly diagnostics: readonly Diagnostic[] } {
  if (spec === '-' || /^https?:\/\//i.test(spec)) return { diagnostics: [] };
  const folder = dirname(spec);
  const found = CONFIG_FILE_NAMES.map((name) => join(folder, name)).filter((file) => {
    const absolute = resolve(cwd, file);
    return existsSync(absolute) && statSync(absolute).isFile();
  });
  if (found.length <= 1) return found[0] === undefined ? { diagnostics: [] } : { file: found[0], diagnostics: [] };
  return {
    diagnostics: [
      {
        code: 'CONFIG_AMBIGUOUS',
        severity: 'error',
        message: `More than one configuration file beside the spec: ${found.join(', ')}.`,
        file: found[0],
        hint: 'Keep one of them, or choose one with --config <path>.',
      },
    ],
  };
}
