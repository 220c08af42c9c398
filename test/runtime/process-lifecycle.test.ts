import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../templates/runtime/config/config-error.js';
import { withConfigErrors } from '../../templates/runtime/config/process-lifecycle.js';

afterEach(() => {
  process.exitCode = undefined;
});

describe('withConfigErrors (npm start, npm run dev)', () => {
  it('turns a configuration the server cannot start with into one line and exit code 1', async () => {
    const lines: string[] = [];
    await withConfigErrors(
      (line) => lines.push(line),
      async () => {
        throw new ConfigError('MCP_AUTH=oauth needs OAUTH_ISSUER.');
      },
    );
    expect(lines).toEqual(['configuration error: MCP_AUTH=oauth needs OAUTH_ISSUER.']);
    expect(process.exitCode).toBe(1);
  });

  it('lets any other failure through: it is a bug, not a setting', async () => {
    const lines: string[] = [];
    await expect(
      withConfigErrors(
        (line) => lines.push(line),
        async () => {
          throw new TypeError('boom');
        },
      ),
    ).rejects.toThrow('boom');
    expect(lines).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });
});
