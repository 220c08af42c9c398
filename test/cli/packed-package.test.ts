import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CACHE, REPO, SPECS } from '../support/generated-project.js';

/**
 * Issue 11 item 1: what `npm publish` would ship works on its own. The package is packed
 * (`npm pack`: the `files` list, `prepare` builds dist), the tarball is installed into an empty
 * folder as a user would install it, and its `openapi-to-mcp` bin generates a project there.
 */
const root = join(CACHE, 'packed');
let installed: string;

beforeAll(() => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'user'), { recursive: true });
  if (!existsSync(join(REPO, 'dist/src/index.js')))
    throw new Error('no dist/: run `npm run build` (npm test does) first');
  // --ignore-scripts: `prepare` would rebuild dist/ in place while other test files run the CLI from
  // it (seen as a half-written module in CI). `npm test` has just built it; the tarball takes that build.
  const packed = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', root], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1)!;
  writeFileSync(join(root, 'user', 'package.json'), JSON.stringify({ name: 'user', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', join(root, packed)], {
    cwd: join(root, 'user'),
    stdio: 'pipe',
  });
  installed = join(root, 'user', 'node_modules', '@openapi-to-mcp', 'cli');
}, 240_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the published package', () => {
  it('is @openapi-to-mcp/cli with the openapi-to-mcp bin, and ships no tests or sources it does not run', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      name: string;
      bin: Record<string, string>;
    };
    expect(pkg.name).toBe('@openapi-to-mcp/cli');
    expect(Object.keys(pkg.bin)).toEqual(['openapi-to-mcp']);
    expect(readdirSync(installed).sort()).toEqual(expect.arrayContaining(['bin', 'dist', 'schema', 'templates']));
    expect(existsSync(join(installed, 'test'))).toBe(false);
    expect(existsSync(join(installed, 'fixtures'))).toBe(false);
  });

  it('generates a project from the installed bin, with the runtime copied from its templates', () => {
    const out = join(root, 'user', 'pets-mcp');
    const bin = join(root, 'user', 'node_modules', '.bin', 'openapi-to-mcp');
    const stdout = execFileSync(bin, ['generate', join(SPECS, 'oai-petstore-expanded.yaml'), '-o', out], {
      cwd: join(root, 'user'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(stdout).toBe('');
    expect(existsSync(join(out, 'src/runtime/server/main.ts'))).toBe(true);
    expect(readFileSync(join(out, 'src/runtime/server/main.ts'), 'utf8')).toBe(
      readFileSync(join(REPO, 'templates/runtime/server/main.ts'), 'utf8'),
    );
    const workflow = readFileSync(join(out, '.github/workflows/openapi-to-mcp.yml'), 'utf8');
    // Only the name we own is ever run.
    expect(workflow).toContain('npx --yes --package=@openapi-to-mcp/cli@');
    expect(workflow).not.toMatch(/npx (--yes )?openapi-to-mcp/);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("runs the generated CI workflow's steps in order, with the generator from the tarball, and every step passes", () => {
    const user = join(root, 'user');
    const bin = join(user, 'node_modules', '.bin', 'openapi-to-mcp');
    mkdirSync(join(user, 'repo'), { recursive: true });
    writeFileSync(join(user, 'repo', 'openapi.yaml'), readFileSync(join(SPECS, 'oai-petstore-expanded.yaml')));
    const project = join(user, 'repo', 'mcp');
    execFileSync(bin, ['generate', 'repo/openapi.yaml', '-o', project], { cwd: user, stdio: 'pipe' });
    // What the team does once before committing: `npm install` writes the package-lock.json that `npm ci` needs.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'pipe' });
    const workflow = parse(readFileSync(join(project, '.github/workflows/openapi-to-mcp.yml'), 'utf8')) as {
      jobs: { check: { steps: { run?: string }[] } };
    };
    const runs = workflow.jobs.check.steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      // The registry has no release yet: the scoped npx call runs the tarball's bin instead.
      const command = run.replace(/^npx --yes --package=@openapi-to-mcp\/cli@\S+ openapi-to-mcp/, bin);
      expect(command, run).not.toMatch(/^npx/);
      execFileSync('sh', ['-c', command], {
        cwd: project,
        stdio: 'pipe',
        env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      });
    }
  }, 300_000);
});
