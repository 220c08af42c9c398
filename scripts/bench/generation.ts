import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Measured } from './measure-command.js';
import { measureCommand } from './measure-command.js';
import { BENCH_CACHE, CLI, PEER_CLI } from './paths.js';
import { countOperations } from './synthetic-spec.js';

export interface GenerationInput {
  readonly label: string;
  readonly file: string;
}

export interface GenerationRow {
  readonly label: string;
  readonly operations: number;
  readonly ours: Measured;
  readonly peer: Measured;
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
 * process per run, output into a fresh folder under `output.root`, ours first.
 * The peer gets a base URL so that specs without `servers` (kubernetes) do not
 * stop it.
 */
export async function measureGeneration(
  inputs: readonly GenerationInput[],
  output: GenerationOutput,
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<GenerationRow[]> {
  const rows: GenerationRow[] = [];
  mkdirSync(output.root, { recursive: true });
  try {
    for (const input of inputs) rows.push(await measureInput(input, output.root, timeoutMs, progress));
  } finally {
    if (output.tmpfs) rmSync(output.root, { recursive: true, force: true });
  }
  return rows;
}

async function measureInput(
  input: GenerationInput,
  root: string,
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<GenerationRow> {
  const operations = countOperations(JSON.parse(readFileSync(input.file, 'utf8')) as Record<string, unknown>);
  const oursDir = join(root, `ours-${slug(input.label)}`);
  const peerDir = join(root, `peer-${slug(input.label)}`);
  rmSync(oursDir, { recursive: true, force: true });
  rmSync(peerDir, { recursive: true, force: true });
  progress(`generate ${input.label} (${operations} operations): ours`);
  const ours = await measureCommand(process.execPath, [CLI, 'generate', input.file, '-o', oursDir], {
    timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  progress(`  ${describe(ours)}; peer`);
  const peer = await measureCommand(
    process.execPath,
    [PEER_CLI, '-i', input.file, '-o', peerDir, '-b', 'http://127.0.0.1:9', '--force'],
    { timeoutMs },
  );
  progress(`  ${describe(peer)}`);
  rmSync(oursDir, { recursive: true, force: true });
  rmSync(peerDir, { recursive: true, force: true });
  return { label: input.label, operations, ours, peer };
}

export function describe(run: Measured): string {
  if (run.timedOut) return `timed out after ${run.wallS.toFixed(0)} s`;
  const head = `${run.wallS.toFixed(2)} s wall, ${run.cpuS.toFixed(2)} s CPU, ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MB`;
  return run.status === 0 ? head : `exit ${run.status}: ${head}\n${run.stderrTail}`;
}

function slug(label: string): string {
  return label.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}
