import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { useColor } from '../../src/cli/print-diagnostics.js';
import { ANSI, SPECS, cli, removeTempDirs, tempDir } from './cli-process.js';
import { runCli } from './in-process.js';

afterAll(removeTempDirs);

/** DESIGN.md §1: colours only on a TTY, and never with NO_COLOR (https://no-color.org). */

describe('useColor', () => {
  const rows: readonly [string, { isTTY: boolean; NO_COLOR?: string; want: boolean }][] = [
    ['a TTY', { isTTY: true, want: true }],
    ['a TTY with NO_COLOR=1', { isTTY: true, NO_COLOR: '1', want: false }],
    ['a TTY with NO_COLOR=0 (any non-empty value counts)', { isTTY: true, NO_COLOR: '0', want: false }],
    ['a TTY with NO_COLOR set but empty (no-color.org: ignored)', { isTTY: true, NO_COLOR: '', want: true }],
    ['a pipe', { isTTY: false, want: false }],
  ];
  test.each(rows)('%s -> %o', (_name, { isTTY, NO_COLOR, want }) => {
    const env = NO_COLOR === undefined ? {} : { NO_COLOR };
    expect(useColor({ isTTY } as NodeJS.WriteStream, env)).toBe(want);
  });
});

/** The CLI in this process, with stdout and stderr that claim to be terminals. */
const runOnTty = (argv: readonly string[], env: NodeJS.ProcessEnv) => runCli(argv, { tty: true, env });

describe('diagnostics on a terminal', () => {
  const args = ['inspect', 'fixtures/cli/dangling-ref.yaml'];

  test('are coloured by default (so the no-ANSI checks below can fail)', async () => {
    const result = await runOnTty(args, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(ANSI);
    expect(result.stderr).toContain('REF_UNRESOLVED');
  });

  test('are plain with NO_COLOR', async () => {
    const result = await runOnTty(args, { NO_COLOR: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error REF_UNRESOLVED');
    expect(result.stderr).not.toMatch(ANSI);
  });
});

describe('output through a pipe (not a TTY), NO_COLOR and FORCE_COLOR unset, has no ANSI escapes', () => {
  const plain = { NO_COLOR: undefined, FORCE_COLOR: undefined };
  const rows: readonly [string, () => readonly string[], number][] = [
    [
      'errors (generate, unresolved $ref)',
      () => ['generate', 'fixtures/cli/dangling-ref.yaml', '-o', join(tempDir('color'), 'out')],
      1,
    ],
    [
      'the inspect table and info diagnostics',
      () => ['inspect', '--verbose', join(SPECS, 'oai-petstore-expanded.yaml')],
      0,
    ],
    ['a usage error', () => ['generate', '--frob'], 2],
  ];
  test.concurrent.each(rows)('%s', async (_name, args, status) => {
    const result = await cli(args(), { env: plain });
    expect(result.status, result.stderr).toBe(status);
    expect(`${result.stdout}${result.stderr}`.length).toBeGreaterThan(0);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stderr).not.toMatch(ANSI);
  });
});
