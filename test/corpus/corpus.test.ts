import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rmSync, symlinkSync } from 'node:fs';
import { CACHE, runCliAsync, runInProjectAsync, SPECS, sharedDependencies } from '../support/generated-project.js';

/** The two multi-file specs are folders; their roots are named in ../shared/specs/README.md. */
const MULTI_FILE_ROOTS: Record<string, string> = {
  'digitalocean-public': 'digitalocean-public/DigitalOcean-public.v2.yaml',
  'oai-petstore-separate': 'oai-petstore-separate/spec/swagger.yaml',
};

export function corpusSpecs(): { name: string; path: string }[] {
  return readdirSync(SPECS)
    .filter((f) => /\.(ya?ml|json)$/.test(f) || statSync(join(SPECS, f)).isDirectory())
    .map((f) => {
      const root = MULTI_FILE_ROOTS[f];
      return root ? { name: f, path: join(SPECS, root) } : { name: f, path: join(SPECS, f) };
    })
    .filter((s) => statSync(s.path).isFile())
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The specs the authorization issue names: their generated projects also run their own tests
 * (401, metadata, step-up per scoped tool, list filtering) against the scopes their
 * operations declare.
 */
const RUN_OWN_TESTS = new Set(['spotify-web-api.yaml', 'asana-api.yaml', 'google-drive.json', 'oai-non-oauth-scopes.yaml', 'gotify-server.json', 'overseerr-api.yaml']);

/**
 * Every real-world spec either becomes a project that type-checks, or stops
 * with exit 1 and diagnostics: never a crash, never a stack trace.
 */
describe.concurrent('real-world specs', () => {
  it.each(corpusSpecs())('$name generates a project that type-checks, or exits 1 with diagnostics', async ({ name, path }) => {
    const out = join(CACHE, 'corpus', name.replace(/\.(ya?ml|json)$/, ''));
    rmSync(out, { recursive: true, force: true });
    const result = await runCliAsync(['generate', path, '-o', out]);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
    expect([0, 1], result.stderr.slice(-2000)).toContain(result.status);
    if (result.status === 1) {
      expect(result.stderr).toMatch(/^error [A-Z_]+/m);
      return;
    }
    symlinkSync(sharedDependencies(out), join(out, 'node_modules'), 'dir');
    const tsc = await runInProjectAsync(out, 'tsc', ['-p', 'tsconfig.json', '--noEmit']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    if (!RUN_OWN_TESTS.has(name)) return;
    const own = await runInProjectAsync(out, 'vitest', ['run']);
    expect(own.status, (own.stdout + own.stderr).slice(-3000)).toBe(0);
    expect(own.stdout).toMatch(/auth\.test\.ts/);
  }, 300_000);
});
