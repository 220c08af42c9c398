import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Measured } from './measure-command.js';
import { measureCommand } from './measure-command.js';
import { BENCH_CACHE, CLI, PEER_CLI } from './paths.js';
import { median } from './stats.js';
import { countOperations } from './synthetic-spec.js';

export interface GenerationInput {
  readonly label: string;
  readonly file: string;
}

export interface GenerationRow {
  readonly label: string;
  readonly operations: number;
  /** Each figure the median of its runs (a failed or timed-out run makes the row fail). */
  readonly ours: Measured;
  readonly peer: Measured;
  /** Wall seconds of every run, in run order. */
  readonly oursWalls: readonly number[];
  readonly peerWalls: readonly number[];
}

/** Where generated projects go: tmpfs when the machine has one (see `generationOutputRoot`). */
export interface GenerationOutput {
  readonly root: string;
  readonly tmpfs: boolean;
}

/**
 * The folder both generators write into. tmpfs (/dev/shm) when there is a writable one, because
 * the bench measures the generators, not the disk: on an ext4 file system without a journal (the
 * root of the VMs this bench runs on) allocating an inode skips every inode deleted in the last
 * 60-360 s (fs/ext4/ialloc.c, `recently_deleted`), so creating files soon after deleting files
 * costs time quadratic in their number. We write one file per tool (1,357 on GitHub), the peer
 * about ten; measured on that disk, GitHub's 0.95 s became 2.3 s of which 1.6 s was that kernel
 * loop, and the figure depended on what the machine had deleted in the minutes before.
 */
export function generationOutputRoot(): GenerationOutput {
  const shm = '/dev/shm';
  try {
    if (statSync(shm).isDirectory()) {
      accessSync(shm, constants.W_OK);
      return { root: join(shm, `openapi-to-mcp-bench-${process.pid}`), tmpfs: true };
    }
  } catch {
    // no tmpfs here: the disk it is
  }
  return { root: join(BENCH_CACHE, 'out'), tmpfs: false };
}

/**
 * Generates each input with our CLI and with openapi-mcp-generator 4.0.1, one
 * process per run, output into a fresh folder under `output.root`, `runs`
 * times each, alternated (ours first in odd runs, the peer first in even
 * ones): on this VM two single runs of the same command differ by more than
 * the gap being measured, and whichever runs first after a change of input
 * reads it from a colder cache. Each figure is the median of its runs. The
 * peer gets a base URL so that specs without `servers` (kubernetes) do not
 * stop it.
 */
export async function measureGeneration(
  inputs: readonly GenerationInput[],
  output: GenerationOutput,
  runs: number,
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<GenerationRow[]> {
  const rows: GenerationRow[] = [];
  mkdirSync(output.root, { recursive: true });
  try {
    for (const input of inputs) rows.push(await measureInput(input, output.root, runs, timeoutMs, progress));
  } finally {
    if (output.tmpfs) rmSync(output.root, { recursive: true, force: true });
  }
  return rows;
}

async function measureInput(
  input: GenerationInput,
  root: string,
  runs: number,
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<GenerationRow> {
  const operations = countOperations(JSON.parse(readFileSync(input.file, 'utf8')) as Record<string, unknown>);
  const oursDir = join(root, `ours-${slug(input.label)}`);
  const peerDir = join(root, `peer-${slug(input.label)}`);
  const ours = (): Promise<Measured> =>
    fresh(oursDir, () =>
      measureCommand(process.execPath, [CLI, 'generate', input.file, '-o', oursDir], {
        timeoutMs,
        env: { ...process.env, NO_COLOR: '1' },
      }),
    );
  const peer = (): Promise<Measured> =>
    fresh(peerDir, () =>
      measureCommand(
        process.execPath,
        [PEER_CLI, '-i', input.file, '-o', peerDir, '-b', 'http://127.0.0.1:9', '--force'],
        {
          timeoutMs,
        },
      ),
    );
  progress(`generate ${input.label} (${operations} operations), ${runs} alternated runs`);
  const oursRuns: Measured[] = [];
  const peerRuns: Measured[] = [];
  for (let run = 0; run < runs; run += 1) {
    if (run % 2 === 0) {
      oursRuns.push(await ours());
      peerRuns.push(await peer());
    } else {
      peerRuns.push(await peer());
      oursRuns.push(await ours());
    }
    progress(`  run ${run + 1}: ours ${describe(oursRuns[run]!)}; peer ${describe(peerRuns[run]!)}`);
    // A run that failed or timed out says what it needs to: more runs would take as long again.
    if (!succeeded(oursRuns[run]!) || !succeeded(peerRuns[run]!)) break;
  }
  return {
    label: input.label,
    operations,
    ours: medianOf(oursRuns),
    peer: medianOf(peerRuns),
    oursWalls: oursRuns.map((r) => r.wallS),
    peerWalls: peerRuns.map((r) => r.wallS),
  };
}

/** Runs `measure` with `dir` absent before and removed after. */
async function fresh(dir: string, measure: () => Promise<Measured>): Promise<Measured> {
  rmSync(dir, { recursive: true, force: true });
  try {
    return await measure();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function succeeded(run: Measured): boolean {
  return run.status === 0 && !run.timedOut;
}

/** The median of each figure; a failed or timed-out run is reported as such, with its own figures. */
function medianOf(runs: readonly Measured[]): Measured {
  const failed = runs.find((run) => !succeeded(run));
  if (failed) return failed;
  return {
    status: 0,
    timedOut: false,
    wallS: median(runs.map((r) => r.wallS)),
    cpuS: median(runs.map((r) => r.cpuS)),
    peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
    stderrTail: '',
  };
}

export function describe(run: Measured): string {
  if (run.timedOut) return `timed out after ${run.wallS.toFixed(0)} s`;
  const head = `${run.wallS.toFixed(2)} s wall, ${run.cpuS.toFixed(2)} s CPU, ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MB`;
  return run.status === 0 ? head : `exit ${run.status}: ${head}\n${run.stderrTail}`;
}

function slug(label: string): string {
  return label.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}
