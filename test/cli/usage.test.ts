import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO, STACK_TRACE, cli, cliProcess, removeTempDirs, snapshot, tempDir } from './cli-process.js';

afterAll(removeTempDirs);

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };

/** DESIGN.md §1: help and version exit 0 on stdout; a usage error exits 2 (never 1, which means "the spec has errors"). */
describe('usage', () => {
  test.concurrent.each([['--help'], ['help']])('%s prints usage naming both commands, exit 0', async (flag) => {
    const result = await cli([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: openapi-to-mcp /m);
    expect(result.stdout).toMatch(/^\s+generate \[options\] <spec>\s/m);
    expect(result.stdout).toMatch(/^\s+inspect \[options\] <spec>\s/m);
    expect(result.stderr).toBe('');
  });

  test.concurrent('generate --help lists -o and --force, exit 0', async () => {
    const result = await cli(['generate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/-o, --out <dir>/);
    expect(result.stdout).toMatch(/--force/);
    expect(result.stdout).toMatch(/--json/);
  });

  test.concurrent.each([['--version'], ['-V']])('%s prints the package.json version, exit 0', async (flag) => {
    const result = await cli([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
    expect(result.stderr).toBe('');
  });

  const usageErrors: readonly [string, { args: readonly string[]; want: RegExp }][] = [
    ['an unknown command', { args: ['frobnicate', 'spec.yaml'], want: /unknown command 'frobnicate'/ }],
    [
      'generate without -o',
      { args: ['generate', 'fixtures/cli/minimal.yaml'], want: /generate needs -o <dir>, the project folder to write/ },
    ],
    ['generate without a spec', { args: ['generate'], want: /missing required argument 'spec'/ }],
    [
      '-o without a value',
      { args: ['generate', 'fixtures/cli/minimal.yaml', '-o'], want: /option '-o, --out <dir>' argument missing/ },
    ],
    [
      'an unknown option',
      { args: ['generate', 'fixtures/cli/minimal.yaml', '-o', 'OUT', '--frob'], want: /unknown option '--frob'/ },
    ],
    ['inspect without a spec', { args: ['inspect'], want: /missing required argument 'spec'/ }],
    ['no command at all', { args: [], want: /^Usage: openapi-to-mcp /m }],
    ['help for an unknown command', { args: ['help', 'frobnicate'], want: /^Usage: openapi-to-mcp /m }],
  ];

  test.concurrent.each(usageErrors)(
    '%s exits 2 with a hint on stderr and writes nothing',
    async (_name, { args, want }) => {
      const parent = tempDir('usage');
      const out = join(parent, 'out');
      const result = await cli(args.map((a) => (a === 'OUT' ? out : a)));
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(want);
      // The hint: either the pointer to --help or the help itself.
      expect(result.stderr).toMatch(/run with --help for usage|^Usage: /m);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(snapshot(parent)).toEqual({});
    },
  );

  // One real process: the exit code the shell sees comes from bin/openapi-to-mcp.js, not from run().
  test.concurrent('as a process, a usage error exits 2 with the hint on stderr', async () => {
    const result = await cliProcess(['frobnicate', 'spec.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });
});
