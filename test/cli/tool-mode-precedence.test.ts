import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO, removeTempDirs, tempDir } from './cli-process.js';
import { runCli } from './in-process.js';

afterAll(removeTempDirs);

/** The arguments the generated CI workflow passes to `openapi-to-mcp` (run from the project folder). */
function ciArguments(out: string): string[] {
  const workflow = readFileSync(join(out, '.github/workflows/openapi-to-mcp.yml'), 'utf8');
  const command = /openapi-to-mcp (generate .* --check)$/m.exec(workflow)?.[1];
  expect(command).toBeDefined();
  return (command as string).split(' ');
}

describe('--tool-mode static over toolMode: dynamic in the config file', () => {
  test('the flag wins, and the CI check repeats it so the project stays current', async () => {
    const dir = tempDir('tool-mode-flag');
    copyFileSync(join(REPO, 'fixtures/cli/minimal.yaml'), join(dir, 'openapi.yaml'));
    writeFileSync(join(dir, 'openapi-to-mcp.config.yaml'), 'toolMode: dynamic\n');
    const out = join(dir, 'project');
    const spec = join(dir, 'openapi.yaml');

    const written = await runCli(['generate', spec, '-o', out, '--tool-mode', 'static', '--quiet']);
    expect(written.status, written.stderr).toBe(0);
    expect(readFileSync(join(out, 'src/generated/server.gen.ts'), 'utf8')).toContain(
      "export const toolMode: ToolMode = 'static';",
    );
    const ci = ciArguments(out);
    expect(ci).toContain('--tool-mode');
    expect((await runCli(ci, { cwd: out })).status).toBe(0);
    // Without the flag the config file's mode wins, which is another project.
    expect((await runCli(['generate', spec, '-o', out, '--check', '--quiet'])).status).toBe(3);
  });
});
