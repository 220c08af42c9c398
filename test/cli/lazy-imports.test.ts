import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, SPECS, cliProcess } from './cli-process.js';

const REFUSE_HEAVY = join(REPO, 'test/cli/fixtures/refuse-heavy-modules.mjs');
const withoutHeavyModules = { env: { NODE_OPTIONS: `--import=${REFUSE_HEAVY}` } };

/** Issue 8: `--version` and `--help` must not load prettier, swagger-parser, ajv, yaml or handlebars (570 ms before). */
describe('lazy imports', () => {
  test.concurrent.each(['--version', '--help', 'generate --help', 'inspect --help'])(
    '%s runs without importing the stages',
    async (command) => {
      const result = await cliProcess(command.split(' '), withoutHeavyModules);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );

  test.concurrent('the hook works: inspect needs the loader and fails under it', async () => {
    const result = await cliProcess(['inspect', join(SPECS, 'oai-petstore.yaml')], withoutHeavyModules);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/heavy module imported/);
  });
});
