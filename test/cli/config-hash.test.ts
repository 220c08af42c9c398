import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO, removeTempDirs, tempDir } from './cli-process.js';
import { runCli } from './in-process.js';

afterAll(removeTempDirs);

describe('the config file is hashed as canonical JSON', () => {
  test('reordering its keys keeps the project current; changing a value makes it stale', async () => {
    const dir = tempDir('config-hash');
    const spec = join(dir, 'openapi.yaml');
    const config = join(dir, 'openapi-to-mcp.config.yaml');
    const out = join(dir, 'project');
    copyFileSync(join(REPO, 'fixtures/cli/minimal.yaml'), spec);
    writeFileSync(config, 'transport: { port: 8080, default: stdio }\ntoolMode: dynamic\n');
    expect((await runCli(['generate', spec, '-o', out, '--quiet'])).status).toBe(0);

    writeFileSync(config, 'toolMode: dynamic\ntransport: { default: stdio, port: 8080 }\n');
    expect((await runCli(['generate', spec, '-o', out, '--check', '--quiet'])).status).toBe(0);

    writeFileSync(config, 'toolMode: dynamic\ntransport: { default: stdio, port: 8081 }\n');
    expect((await runCli(['generate', spec, '-o', out, '--check', '--quiet'])).status).toBe(3);
  });
});
