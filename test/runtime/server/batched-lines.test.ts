import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { createBatchedLines } from '../../../templates/runtime/server/batched-lines.js';

/** A sink whose scheduled flushes run only when the test says so. */
function manual(options: { maxPendingChars?: number } = {}) {
  const written: string[] = [];
  const queued: Array<() => void> = [];
  const sink = createBatchedLines((chunk) => written.push(chunk), {
    schedule: (flush) => queued.push(flush),
    ...options,
  });
  const endOfTurn = () => {
    for (const flush of queued.splice(0)) flush();
  };
  return { sink, written, queued, endOfTurn };
}

describe('createBatchedLines', () => {
  it('writes the lines of one turn together, in order, once the turn ends', () => {
    const { sink, written, queued, endOfTurn } = manual();
    sink('{"a":1}');
    sink('{"b":2}');
    sink('{"c":3}');
    expect(written).toEqual([]);
    expect(queued).toHaveLength(1);
    endOfTurn();
    expect(written).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n']);
    sink('next');
    endOfTurn();
    expect(written).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n', 'next\n']);
  });

  it('writes at once past the pending bound, and keeps what follows for the end of the turn', () => {
    const { sink, written, endOfTurn } = manual({ maxPendingChars: 10 });
    sink('12345');
    expect(written).toEqual([]);
    sink('67890');
    expect(written).toEqual(['12345\n67890\n']);
    sink('tail');
    expect(written).toHaveLength(1);
    endOfTurn();
    expect(written).toEqual(['12345\n67890\n', 'tail\n']);
  });

  it('flush writes what is pending and nothing when nothing is', () => {
    const { sink, written, endOfTurn } = manual();
    sink.flush();
    expect(written).toEqual([]);
    sink('x');
    sink.flush();
    expect(written).toEqual(['x\n']);
    endOfTurn();
    expect(written).toEqual(['x\n']);
  });

  it('unbatch writes what is pending, then every line as it comes', () => {
    const { sink, written, endOfTurn } = manual();
    sink('a');
    sink('b');
    sink.unbatch();
    expect(written).toEqual(['a\nb\n']);
    sink('c');
    expect(written).toEqual(['a\nb\n', 'c\n']);
    endOfTurn();
    expect(written).toEqual(['a\nb\n', 'c\n']);
  });

  it('by default flushes with setImmediate, after the microtasks of the turn', async () => {
    const written: string[] = [];
    const sink = createBatchedLines((chunk) => written.push(chunk));
    sink('one');
    await Promise.resolve();
    sink('two');
    expect(written).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['one\ntwo\n']);
  });
});

describe('batchedStderr in a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'batched-lines-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = readFileSync(new URL('../../../templates/runtime/server/batched-lines.ts', import.meta.url), 'utf8');
  writeFileSync(join(dir, 'batched-lines.mjs'), transformSync(source, { loader: 'ts', format: 'esm' }).code);

  /** Runs `body` after `const log = batchedStderr()` in a fresh node process; returns its stderr. */
  function run(body: string): { stderr: string; status: number | null } {
    const script = join(dir, `case-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(
      script,
      `import { batchedStderr } from './batched-lines.mjs';\nconst log = batchedStderr();\n${body}\n`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    return { stderr: child.stderr, status: child.status };
  }

  // The audit trail must not lose the decisions of the last turn when the process ends.
  it.each([
    ['the event loop runs dry', 'log("a"); log("b");', 0],
    ['process.exit in the same turn', 'log("a"); log("b"); process.exit(3);', 3],
    ['an uncaught exception in the same turn', 'log("a"); log("b"); throw new Error("boom");', 1],
    ['an unhandled rejection', 'log("a"); log("b"); void Promise.reject(new Error("boom"));', 1],
  ])('writes every pending line when %s', (_name, body, status) => {
    const child = run(body);
    expect(child.status).toBe(status);
    expect(child.stderr.startsWith('a\nb\n')).toBe(true);
  });

  it('flushPendingStderr writes pending lines at once (a process killed outright would lose them otherwise)', () => {
    const killed = run('log("kept"); log("lost"); process.kill(process.pid, "SIGKILL");');
    expect(killed.stderr).toBe('');
    const flushed = run(
      'const { flushPendingStderr } = await import("./batched-lines.mjs");\nlog("a"); log("b"); flushPendingStderr(); process.kill(process.pid, "SIGKILL");',
    );
    expect(flushed.stderr).toBe('a\nb\n');
  });

  it('is one sink per process: lines from two callers keep their order', () => {
    const child = run('log("first"); batchedStderr()("second"); log("third");');
    expect(child.stderr).toBe('first\nsecond\nthird\n');
  });
});
