import { isProjectPath } from './lock-file.js';

/**
 * `.openapi-to-mcp-keep` in a generated project: the user's list of generator-owned files to keep
 * once edited (a patched `src/runtime/` module), like OpenAPI Generator's `.openapi-generator-ignore`.
 * The generator never writes it; it only makes the generator write less.
 */
export const KEEP_FILE = '.openapi-to-mcp-keep';

/** Which project paths the keep file names: an exact path, or a folder ending in `/` for everything below it. */
export type KeepList = (path: string) => boolean;

export const KEEP_NOTHING: KeepList = () => false;

/**
 * One entry a line; blank lines and lines starting with `#` are comments. The file is the user's
 * and may hold anything: an entry that is not a plain relative path inside the project (see
 * `isProjectPath`) is ignored, so it can never name a file outside the project.
 */
export function parseKeepFile(text: string): KeepList {
  const files = new Set<string>();
  const folders: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const folder = line.endsWith('/');
    const path = folder ? line.slice(0, -1) : line;
    if (!isProjectPath(path)) continue;
    if (folder) folders.push(`${path}/`);
    else files.add(path);
  }
  if (files.size === 0 && folders.length === 0) return KEEP_NOTHING;
  return (path) => files.has(path) || folders.some((folder) => path.startsWith(folder));
}
