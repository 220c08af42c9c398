import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The npm name we publish under: a scope we own. The unscoped `openapi-to-mcp` on the registry is
 * an unrelated package, so nothing we write may run that name (the bin is still `openapi-to-mcp`).
 */
export const PACKAGE_NAME = '@openapi-to-mcp/cli';

/**
 * This package's root folder, found from the running module, so `templates/`
 * and `package.json` are found the same way from `src/` (tests) and from
 * `dist/src/` (the built CLI).
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (
      existsSync(candidate) &&
      (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === PACKAGE_NAME
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('openapi-to-mcp: cannot find its own package.json');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();
