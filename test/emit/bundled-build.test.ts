import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { beforeAll, describe, expect, test } from 'vitest';
import { generateProject, REPO } from '../support/generated-project.js';

/**
 * Issue 8: a generated server must not load one ES module per tool at start. `npm run build`
 * type-checks with tsc and bundles src/ with esbuild into dist/index.js (dependencies stay in
 * node_modules); `npm start` and the Dockerfile run that file.
 */
describe('npm run build in a generated project', () => {
  let project: string;

  beforeAll(() => {
    project = generateProject(join(REPO, 'fixtures/petstore-3.1.yaml'), 'bundled-build');
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(build.stderr + build.stdout).not.toMatch(/error/i);
    expect(build.status).toBe(0);
  });

  test('writes one bundle per entry point, not a module per tool', () => {
    const entries = ['dev', 'doctor', 'hash-key', 'index', 'token'];
    expect(readdirSync(join(project, 'dist')).sort()).toEqual(entries.flatMap((e) => [`${e}.js`, `${e}.js.map`]));
    expect(existsSync(join(project, 'dist/generated'))).toBe(false);
  });

  test('the bundle serves the tools over stdio', async () => {
    const client = new Client({ name: 'bundled-build', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(project, 'dist/index.js')],
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
