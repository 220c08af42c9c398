import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { startProgress } from '../../src/cli/main.js';
import { formatTable } from '../../src/cli/inspect-table.js';
import { removeTempDirs, SPECS, tempDir } from './cli-process.js';
import { Capture, runCli } from './in-process.js';

afterAll(removeTempDirs);

// Issue 11 item 8: a CLI that behaves on big inputs and odd invocations.
describe('usage errors name what is missing, in order', () => {
  test('generate alone asks for the spec, not for -o', async () => {
    const result = await runCli(['generate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("missing required argument 'spec'");
    expect(result.stderr).not.toContain('--out');
  });

  test('generate <spec> without -o asks for the output folder', async () => {
    const result = await runCli(['generate', 'fixtures/petstore-3.1.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('generate needs -o <dir>');
  });
});

describe('--quiet', () => {
  test('prints nothing on success, not even warnings or the summary', async () => {
    const out = join(tempDir('quiet'), 'project');
    const loud = await runCli([
      'generate',
      join(SPECS, 'oai-petstore-expanded.yaml'),
      '-o',
      join(tempDir('loud'), 'p'),
    ]);
    expect(loud.stderr).toMatch(/^warning LINT_/m); // so the quiet run below has something to leave out
    const quiet = await runCli(['generate', join(SPECS, 'oai-petstore-expanded.yaml'), '-o', out, '--quiet']);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe('');
  });

  test('still prints errors', async () => {
    const result = await runCli(['inspect', 'fixtures/cli/dangling-ref.yaml', '--quiet']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error REF_UNRESOLVED/m);
  });
});

describe('inspect on a terminal', () => {
  test('fits every line to the terminal width, marking cut cells; piped output stays whole', async () => {
    const onTty = await runCli(['inspect', join(SPECS, 'google-drive.json')], { tty: true, columns: 100 });
    expect(onTty.status).toBe(0);
    const lines = onTty.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(onTty.stdout).toContain('…');
    const piped = await runCli(['inspect', join(SPECS, 'google-drive.json')]);
    expect(Math.max(...piped.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(100);
    expect(piped.stdout).not.toContain('…');
  });

  test('never cuts a column below its heading or 8 characters', () => {
    const rows = [{ tool: 'a'.repeat(40), method: 'GET', path: '/x'.repeat(50) }];
    const table = formatTable(rows, 20).split('\n');
    expect(table[0]).toMatch(/^TOOL\s+METHOD\s+PATH$/);
    expect(table[1]).toMatch(/^a{7}…  GET     \/x\/x\/x\/…$/);
  });
});

describe('the progress line', () => {
  test('appears on a terminal after a second, and not when the run ends first', () => {
    vi.useFakeTimers();
    try {
      const slow = new Capture(true);
      const stopSlow = startProgress({ stderr: slow as unknown as NodeJS.WriteStream }, 'generating from big.yaml');
      vi.advanceTimersByTime(1000);
      stopSlow();
      expect(slow.text).toBe('generating from big.yaml...\n');
      const fast = new Capture(true);
      const stopFast = startProgress({ stderr: fast as unknown as NodeJS.WriteStream }, 'generating from small.yaml');
      vi.advanceTimersByTime(999);
      stopFast();
      vi.advanceTimersByTime(5000);
      expect(fast.text).toBe('');
      const piped = new Capture(false);
      startProgress({ stderr: piped as unknown as NodeJS.WriteStream }, 'x')();
      vi.advanceTimersByTime(5000);
      expect(piped.text).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });
});
