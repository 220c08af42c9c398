import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ciProjectPath } from '../../src/cli/ci-root.js';
import { FIXTURES, removeTempDirs, tempDir } from './cli-process.js';
import { runCli } from './in-process.js';

afterAll(removeTempDirs);

interface Workflow {
  jobs: { check: { defaults?: { run: { 'working-directory': string } }; steps: { run?: string }[] } };
}
const workflowOf = (project: string) =>
  parse(readFileSync(join(project, '.github/workflows/openapi-to-mcp.yml'), 'utf8')) as Workflow;
const checkStep = (w: Workflow) => w.jobs.check.steps.find((s) => s.run?.includes('--check'))?.run?.trim();

/** A repository with the spec in apis/ and the project in servers/pets. */
function monorepo(name: string): { repo: string; project: string } {
  const repo = tempDir(name);
  mkdirSync(join(repo, 'apis'), { recursive: true });
  writeFileSync(join(repo, 'apis', 'openapi.yaml'), readFileSync(join(FIXTURES, 'minimal.yaml')));
  return { repo, project: join(repo, 'servers', 'pets') };
}

describe('ciProjectPath', () => {
  test.each([
    ['/r', '/r', { project: undefined }],
    ['/r', '/r/servers/pets', { project: 'servers/pets' }],
    ['/r/servers', '/r/servers/pets', { project: 'pets' }],
  ])('root %s, project %s', (root, out, want) => {
    expect(ciProjectPath(root, out)).toEqual(want);
  });

  test.each([
    ['a sibling', '/r/a', '/r/b'],
    ['below the project', '/r/servers/pets/x', '/r/servers/pets'],
  ])('refuses a root that is not above the project: %s', (_, root, out) => {
    expect(ciProjectPath(root, out)).toEqual({ error: expect.stringContaining('above it') });
  });

  test('refuses a path with a line break (it goes into YAML and a shell)', () => {
    expect(ciProjectPath('/r', '/r/a\nb')).toEqual({ error: expect.stringContaining('line break') });
  });
});

describe('generate --ci-root', () => {
  test('the workflow runs in the project folder from the root, and --check repeats the flag from the project', async () => {
    const { repo, project } = monorepo('ci-root-flag');
    const result = await runCli(['generate', 'apis/openapi.yaml', '-o', 'servers/pets', '--ci-root', '.'], {
      cwd: repo,
    });
    expect(result.status, result.stderr).toBe(0);
    const workflow = workflowOf(project);
    expect(workflow.jobs.check.defaults?.run['working-directory']).toBe('servers/pets');
    expect(checkStep(workflow)).toBe(
      'npx --no openapi-to-mcp generate ../../apis/openapi.yaml -o . --ci-root ../.. --check',
    );
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toContain(
      'npx --no openapi-to-mcp generate ../../apis/openapi.yaml -o . --ci-root ../..',
    );
    // What CI runs, from the project folder, is current; without the flag the layout differs: stale.
    const check = (args: string[]) =>
      runCli(['generate', '../../apis/openapi.yaml', '-o', '.', ...args, '--check'], { cwd: project });
    expect((await check(['--ci-root', '../..'])).status).toBe(0);
    expect((await check([])).status).toBe(3);
  });

  test('the project at the root is the default layout: no working directory, no flag to repeat', async () => {
    const { repo, project } = monorepo('ci-root-same');
    const result = await runCli(['generate', 'apis/openapi.yaml', '-o', 'servers/pets', '--ci-root', 'servers/pets'], {
      cwd: repo,
    });
    expect(result.status, result.stderr).toBe(0);
    const workflow = workflowOf(project);
    expect(workflow.jobs.check.defaults).toBeUndefined();
    expect(checkStep(workflow)).toBe('npx --no openapi-to-mcp generate ../../apis/openapi.yaml -o . --check');
  });

  test('a root that is not above the project is a usage error: exit 2, nothing written', async () => {
    const { repo, project } = monorepo('ci-root-bad');
    mkdirSync(join(repo, 'elsewhere'));
    const result = await runCli(['generate', 'apis/openapi.yaml', '-o', 'servers/pets', '--ci-root', 'elsewhere'], {
      cwd: repo,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--ci-root: the CI root must be the project folder or a folder above it');
    expect(existsSync(project)).toBe(false);
  });

  test('config ci.root, relative to the config file: the same layout, and the found config needs no flag', async () => {
    const { repo, project } = monorepo('ci-root-config');
    writeFileSync(join(repo, 'apis', 'openapi-to-mcp.config.yaml'), 'ci:\n  root: ..\n');
    const result = await runCli(['generate', 'apis/openapi.yaml', '-o', 'servers/pets'], { cwd: repo });
    expect(result.status, result.stderr).toBe(0);
    const workflow = workflowOf(project);
    expect(workflow.jobs.check.defaults?.run['working-directory']).toBe('servers/pets');
    expect(checkStep(workflow)).toBe('npx --no openapi-to-mcp generate ../../apis/openapi.yaml -o . --check');
    const check = await runCli(['generate', '../../apis/openapi.yaml', '-o', '.', '--check'], { cwd: project });
    expect(check.status, check.stdout).toBe(0);
  });
});
