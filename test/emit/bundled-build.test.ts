import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateProject, REPO } from '../support/generated-project.js';

/**
 * Issue 8: a generated server must not load one ES module per tool at start. `npm run build`
 * type-checks with tsc and bundles src/ with esbuild into dist/index.js, runtime dependencies
 * included (resolving and reading the SDK's files was a third of the GitHub server's start-up
 * CPU); `npm start` and the Dockerfile run that file. Only the dev authorization server
 * (oidc-provider, a dev dependency) stays in node_modules.
 */
describe('npm run build in a generated project', () => {
  let project: string;
  let alone: string;

  beforeAll(() => {
    project = generateProject(join(REPO, 'fixtures/petstore-3.1.yaml'), 'bundled-build');
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(build.stderr + build.stdout).not.toMatch(/error/i);
    expect(build.status).toBe(0);
    alone = bundleAlone(project);
  });

  afterAll(() => rmSync(alone, { recursive: true, force: true }));

  test('writes one bundle per entry point, not a module per tool', () => {
    const entries = ['dev', 'doctor', 'hash-key', 'index', 'token'];
    expect(readdirSync(join(project, 'dist')).sort()).toEqual(entries.flatMap((e) => [`${e}.js`, `${e}.js.map`]));
    expect(existsSync(join(project, 'dist/generated'))).toBe(false);
  });

  test.each([
    ['in the project', () => project],
    ['copied alone, with no node_modules to load a dependency from', () => alone],
  ])('the bundle serves the tools over stdio, %s', async (_where, folder) => {
    const client = new Client({ name: 'bundled-build', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(folder(), 'dist/index.js')],
        env: { PATH: process.env.PATH ?? '', MCP_TRANSPORT: 'stdio', UPSTREAM_BASE_URL: 'http://127.0.0.1:9/api' },
        stderr: 'pipe',
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['createPet', 'deletePet', 'listOwnerPets']);
    } finally {
      await client.close();
    }
  });
});

/** dist/index.js and package.json (its `"type": "module"`), in a folder of their own outside the project. */
function bundleAlone(project: string): string {
  const alone = mkdtempSync(join(tmpdir(), 'bundle-alone-'));
  mkdirSync(join(alone, 'dist'));
  copyFileSync(join(project, 'dist/index.js'), join(alone, 'dist/index.js'));
  copyFileSync(join(project, 'package.json'), join(alone, 'package.json'));
  return alone;
}
