import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Measured {
  /** Exit status; null when it was killed (timeout or signal). */
  readonly status: number | null;
  readonly timedOut: boolean;
  /** Wall time from spawn to exit, measured here. */
  readonly wallS: number;
  /** User + system CPU of the command and its children, from the kernel (getrusage); for a killed run, what it had used by then. */
  readonly cpuS: number;
  /** Peak resident set of the largest process of the command, bytes; for a killed run, the peak by then. */
  readonly peakRssBytes: number;
  /** The last lines of its stderr, to say why it failed. */
  readonly stderrTail: string;
}

export interface MeasureOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/**
 * Runs `command` in its own process under GNU `/usr/bin/time`, which reads the
 * child's rusage from the kernel when it exits: CPU and peak RSS are measured
 * from outside, with nothing loaded into the measured process. A command that
 * outlives `timeoutMs` is killed with its whole process group.
 */
export function measureCommand(
  command: string,
  args: readonly string[],
  options: MeasureOptions = {},
): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const report = join(dir, 'time.txt');
  let stderr = '';
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-o', report, '-f', '%U %S %M', command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let timedOut = false;
  let usageAtKill: GroupUsage | undefined;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          if (!child.pid) return;
          usageAtKill = groupUsage(child.pid);
          process.kill(-child.pid, 'SIGKILL');
        }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const wallS = (performance.now() - started) / 1000;
      if (timer) clearTimeout(timer);
      let text = '';
      try {
        text = readFileSync(report, 'utf8');
      } catch {
        // killed before `time` could write its report
      }
      rmSync(dir, { recursive: true, force: true });
      // GNU time writes "Command exited with non-zero status N" before the format line.
      const last = text.trim().split('\n').pop() ?? '';
      const [user, sys, maxKb] = last.split(' ').map(Number);
      resolve({
        status: timedOut ? null : code,
        timedOut,
        wallS,
        cpuS: usageAtKill?.cpuS ?? (user ?? Number.NaN) + (sys ?? Number.NaN),
        peakRssBytes: usageAtKill?.peakRssBytes ?? (maxKb ?? Number.NaN) * 1024,
        stderrTail: stderr.trim().split('\n').slice(-5).join('\n'),
      });
    });
  });
}

interface GroupUsage {
  readonly cpuS: number;
  readonly peakRssBytes: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU used so far and the largest peak RSS (VmHWM) of the processes in
 * process group `pgid`, from /proc: what a run that is about to be killed
 * had cost, since the kernel reports it to `time` only for children that exit.
 */
function groupUsage(pgid: number): GroupUsage {
  let ticks = 0;
  let peakKb = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces: the fields after it start past its ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
      const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      peakKb = Math.max(peakKb, Number(hwm ?? 0));
    } catch {
      // the process ended while we looked
    }
  }
  return { cpuS: ticks / USER_HZ, peakRssBytes: peakKb * 1024 };
}
