import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { cpuMs, rssKb, stopProcess } from '../../scripts/bench/child-process.js';
import { freePort } from '../../scripts/bench/free-port.js';

/** A node child that prints `ready` once it has its SIGTERM handler (ignoring it when asked). */
async function child(ignoreTerm: boolean) {
  const script = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); console.log('ready');`;
  const spawned = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(spawned.stdout, 'data');
  return spawned;
}

describe('stopProcess (shared by the bench and test/support)', () => {
  it('ends a process with SIGTERM', async () => {
    const running = await child(false);
    await stopProcess(running);
    expect(running.signalCode).toBe('SIGTERM');
  });

  it('falls back to SIGKILL 5 s after a SIGTERM that is ignored', async () => {
    const stubborn = await child(true);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stopped = stopProcess(stubborn);
      vi.advanceTimersByTime(4_999);
      expect(stubborn.exitCode === null && stubborn.signalCode === null).toBe(true);
      vi.advanceTimersByTime(1);
      await stopped;
      expect(stubborn.signalCode).toBe('SIGKILL');
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves at once for a process that has already exited', async () => {
    const done = spawn(process.execPath, ['-e', '0']);
    await once(done, 'exit');
    await expect(stopProcess(done)).resolves.toBeUndefined();
  });
});

describe('rssKb', () => {
  it("reads a live process's resident memory in kB", () => {
    expect(rssKb(process.pid)).toBeGreaterThan(1024);
  });
});

describe('cpuMs', () => {
  it("reads a live process's CPU time, which grows as it computes and matches what it reports itself", () => {
    const before = cpuMs(process.pid);
    const own = process.cpuUsage();
    let spin = 0;
    // Busy until the kernel's 10 ms accounting has moved by a few ticks.
    while (cpuMs(process.pid) < before + 50) spin++;
    const used = process.cpuUsage(own);
    const delta = cpuMs(process.pid) - before;
    expect(spin).toBeGreaterThan(0);
    expect(delta).toBeGreaterThanOrEqual(50);
    // /proc and the process's own count agree to within a couple of clock ticks.
    expect(Math.abs(delta - (used.user + used.system) / 1000)).toBeLessThan(30);
  });
});

describe('freePort', () => {
  it('gives a port between 20000 and 32767, below the ephemeral range', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(32_768);
  });
});
