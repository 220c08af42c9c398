import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_NAME } from '../src/package-root.js';

/**
 * One `npm install` of the dependencies every generated project declares,
 * shared by all end-to-end tests through a `node_modules` symlink: the
 * projects are built and tested for real, without an install each. Test
 * files run in parallel workers: on a fresh machine the first to get here
 * installs under a lock folder while the others wait for it.
 *
 * The generator itself (`@openapi-to-mcp/cli`, a dev dependency of every generated project, for
 * its CI's `--check`) is left out: nothing the projects' tests import needs it, and it is not on
 * the registry before its first release (the packed-package test installs it from this checkout).
 */
export function sharedDependencies(projectDir: string, cache: string): string {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    overrides?: Record<string, string>;
  };
  const deps: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
  delete deps[PACKAGE_NAME];
  const key = [...Object.entries(deps), ...Object.entries(pkg.overrides ?? {}).map(([n, v]) => [`override:${n}`, v])]
    .map(([n, v]) => `${n}@${v}`)
    .sort()
    .join(' ');
  const dir = join(cache, 'generated-deps');
  const marker = join(dir, 'installed.txt');
  const installed = () => existsSync(marker) && readFileSync(marker, 'utf8') === key;
  if (installed()) return join(dir, 'node_modules');
  const lock = `${dir}.lock`;
  mkdirSync(cache, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (installed()) return join(dir, 'node_modules');
    // A worker that died mid-install leaves its lock: after ten minutes it is taken over.
    if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  try {
    if (!installed()) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'generated-deps',
          private: true,
          type: 'module',
          dependencies: deps,
          ...(pkg.overrides ? { overrides: pkg.overrides } : {}),
        }),
      );
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
      writeFileSync(marker, key);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return join(dir, 'node_modules');
}
