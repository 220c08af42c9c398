import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LocalRegistry } from '../../scripts/local-registry.js';
import { startLocalRegistry } from '../../scripts/local-registry.js';
import { CACHE, REPO, SPECS } from '../support/generated-project.js';

/**
 * Issue 11 items 1 and 2: what `npm publish` would ship works on its own, and a generated project's
 * CI passes as written. The package is packed (`npm pack`: the `files` list) and served by a
 * loopback registry for the `@openapi-to-mcp` scope (scripts/local-registry.js: it is not on the
 * npm registry yet; every other package still comes from there). It is installed by name into an
 * empty folder as a user would, and generated projects get it the same way, as the exact dev
 * dependency their workflow's `npx --no openapi-to-mcp generate … --check` runs after `npm ci`.
 */
const root = join(CACHE, 'packed');
const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
let registry: LocalRegistry;
let installed: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'user'), { recursive: true });
  registry = await startLocalRegistry({ packDir: root });
  env = { ...process.env, ...registry.env, CI: 'true', NO_COLOR: '1' };
  writeFileSync(join(root, 'user', 'package.json'), JSON.stringify({ name: 'user', private: true }));
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact', `@openapi-to-mcp/cli@${version}`],
    { cwd: join(root, 'user'), stdio: 'pipe', env },
  );
  installed = join(root, 'user', 'node_modules', '@openapi-to-mcp', 'cli');
}, 240_000);
afterAll(async () => {
  await registry?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Workflow {
  name: string;
  on: Record<string, { paths?: string[] } | null>;
  jobs: {
    check: {
      defaults?: { run?: { 'working-directory'?: string } };
      steps: { uses?: string; with?: Record<string, unknown>; run?: string }[];
    };
  };
}

/**
 * Every `run` step of the workflow, in order, as GitHub runs them on Linux (`bash -e {0}`) in `cwd`;
 * each must exit 0. bash, not sh: dash drops the registry's `npm_config_@openapi-to-mcp:registry`
 * from the environment (not a shell identifier), bash passes it on.
 */
function runSteps(workflow: Workflow, cwd: string): string[] {
  const runs = workflow.jobs.check.steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
  for (const run of runs) execFileSync('bash', ['-e', '-c', run], { cwd, stdio: 'pipe', env });
  return runs;
}

/** What the team does once before committing: `npm install` writes the package-lock.json `npm ci` needs. */
function installProject(project: string): void {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'pipe', env });
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; integrity?: string; dev?: boolean }>;
  };
  // The lock holds the served tarball, by version and integrity; the CI's `npm ci` installs exactly that.
  const integrity = `sha512-${createHash('sha512').update(readFileSync(registry.tarball)).digest('base64')}`;
  expect(lock.packages['node_modules/@openapi-to-mcp/cli']).toMatchObject({ version, integrity, dev: true });
}

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

  it('generates a project from the installed bin, which pins the generator as an exact dev dependency', () => {
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
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies['@openapi-to-mcp/cli']).toBe(version);
    const workflow = readFileSync(join(out, '.github/workflows/openapi-to-mcp.yml'), 'utf8');
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    for (const text of [workflow, readme]) {
      // Only the locked dev dependency runs: no download at check time, never the unscoped name.
      expect(text).toContain('npx --no openapi-to-mcp generate');
      expect(text).not.toMatch(/npx (--yes |-y )?(--package[= ]\S+ )?openapi-to-mcp/);
    }
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
  });

  it("runs the generated CI workflow's steps in order (npm ci first, the generator from the lock), and every step passes", () => {
    const user = join(root, 'user');
    const bin = join(user, 'node_modules', '.bin', 'openapi-to-mcp');
    mkdirSync(join(user, 'repo'), { recursive: true });
    writeFileSync(join(user, 'repo', 'openapi.yaml'), readFileSync(join(SPECS, 'oai-petstore-expanded.yaml')));
    const project = join(user, 'repo', 'mcp');
    execFileSync(bin, ['generate', 'repo/openapi.yaml', '-o', project], { cwd: user, stdio: 'pipe' });
    installProject(project);
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    const workflow = parse(readFileSync(join(project, '.github/workflows/openapi-to-mcp.yml'), 'utf8')) as Workflow;
    expect(workflow.jobs.check.defaults).toBeUndefined();
    expect(runSteps(workflow, project)).toEqual([
      'npm ci',
      'npx --no openapi-to-mcp generate ../openapi.yaml -o . --check',
      'npm run build',
      'npm test',
    ]);
  }, 300_000);

  it('runs the workflow of a project in a subfolder of a git repository from the root, moved there as it is', () => {
    const user = join(root, 'user');
    const bin = join(user, 'node_modules', '.bin', 'openapi-to-mcp');
    const repo = join(user, 'mono');
    mkdirSync(join(repo, 'apis'), { recursive: true });
    execFileSync('git', ['init', '-q', repo], { stdio: 'pipe' });
    writeFileSync(join(repo, 'apis', 'pets.yaml'), readFileSync(join(SPECS, 'oai-petstore-expanded.yaml')));
    const project = join(repo, 'servers', 'pets');
    execFileSync(bin, ['generate', 'mono/apis/pets.yaml', '-o', project, '--ci-root', 'mono'], {
      cwd: user,
      stdio: 'pipe',
    });
    installProject(project);
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    // GitHub runs workflows only from the root's .github/workflows: the README says to move it there as it is.
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    renameSync(
      join(project, '.github/workflows/openapi-to-mcp.yml'),
      join(repo, '.github/workflows/openapi-to-mcp.yml'),
    );
    const workflow = parse(readFileSync(join(repo, '.github/workflows/openapi-to-mcp.yml'), 'utf8')) as Workflow;
    const setupNode = workflow.jobs.check.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(workflow.jobs.check.defaults?.run?.['working-directory']).toBe('servers/pets');
    expect(existsSync(join(repo, String(setupNode?.with?.['cache-dependency-path'])))).toBe(true);
    const paths = ['servers/pets/**', 'apis/**', '.github/workflows/openapi-to-mcp.yml'];
    expect(workflow.on).toEqual({ push: { paths }, pull_request: { paths } });
    expect(workflow.name).toBe('openapi-to-mcp (servers/pets)');
    // The spec path is the project's; the flag repeats the root as seen from the project.
    expect(runSteps(workflow, join(repo, 'servers/pets'))).toEqual([
      'npm ci',
      'npx --no openapi-to-mcp generate ../../apis/pets.yaml -o . --ci-root ../.. --check',
      'npm run build',
      'npm test',
    ]);
  }, 300_000);
});
