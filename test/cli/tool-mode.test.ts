import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { STACK_TRACE, cli, removeTempDirs, tempDir } from './cli-process.js';

afterAll(removeTempDirs);

const SPEC = 'fixtures/cli/minimal.yaml';

describe('generate --tool-mode', () => {
  test.concurrent('dynamic: recorded in the generated data and repeated by the CI check', async () => {
    const out = join(tempDir('dynamic'), 'project');
    const result = await cli(['generate', SPEC, '-o', out, '--tool-mode', 'dynamic']);
    expect(result.status).toBe(0);
    expect(readFileSync(join(out, 'src/generated/server.gen.ts'), 'utf8')).toContain(
      "export const toolMode: ToolMode = 'dynamic';",
    );
    expect(readFileSync(join(out, '.github/workflows/openapi-to-mcp.yml'), 'utf8')).toMatch(
      /generate \S+ -o \. --tool-mode dynamic --check/,
    );
    // The same command with the same mode is current; without the flag the project is stale.
    expect((await cli(['generate', SPEC, '-o', out, '--tool-mode', 'dynamic', '--check'])).status).toBe(0);
    expect((await cli(['generate', SPEC, '-o', out, '--check'])).status).toBe(3);
  });

  test.concurrent('an unknown mode is a usage error: exit 2, nothing written', async () => {
    const out = join(tempDir('bad-mode'), 'project');
    const result = await cli(['generate', SPEC, '-o', out, '--tool-mode', 'lazy']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--tool-mode.*lazy|Allowed choices are static, dynamic/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(existsSync(out)).toBe(false);
  });
});
