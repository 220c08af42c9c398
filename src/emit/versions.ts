import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

interface PackageJson {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** The generator's own version: recorded in generated projects. */
export const GENERATOR_VERSION = pkg.version;

/**
 * Generated projects depend on exactly the versions this repository tests its
 * runtime with (pinned in our package.json), so output never drifts with the registry.
 */
export function dependencyVersions(): Record<
  | 'server'
  | 'node'
  | 'client'
  | 'jose'
  | 'typescript'
  | 'vitest'
  | 'typesNode'
  | 'oidcProvider'
  | 'vite'
  | 'esbuild'
  | 'undici',
  string
> {
  const all = { ...pkg.dependencies, ...pkg.devDependencies };
  const get = (name: string) => {
    const version = all[name];
    if (!version) throw new Error(`package.json does not pin ${name}`);
    return version;
  };
  return {
    server: get('@modelcontextprotocol/server'),
    node: get('@modelcontextprotocol/node'),
    client: get('@modelcontextprotocol/client'),
    jose: get('jose'),
    typescript: get('typescript'),
    vitest: get('vitest'),
    typesNode: get('@types/node'),
    oidcProvider: get('oidc-provider'),
    // vitest takes any vite 8; vite 8.4.0 names an optional dependency the registry does not have,
    // and `npm ci` then finds the lock file out of sync. Generated projects pin what we test with.
    vite: get('vite'),
    // `npm run build` bundles src/ into one dist/index.js: Node then loads one module, not one per tool (issue 8).
    esbuild: get('esbuild'),
    undici: get('undici'),
  };
}
