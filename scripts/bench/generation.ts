import { readFileSync, rmSync } from 'node:fs';
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

/**
 * Generates each input with our CLI and with openapi-mcp-generator 4.0.1, one
 * process per run, output into a fresh folder, ours first. The peer gets a
 * base URL so that specs without `servers` (kubernetes) do not stop it.
 */
export async function measureGeneration(
  inputs: readonly GenerationInput[],
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<GenerationRow[]> {
  const rows: GenerationRow[] = [];
  for (const input of inputs) {
    const operations = countOperations(JSON.parse(readFileSync(input.file, 'utf8')) as Record<string, unknown>);
    const oursDir = join(BENCH_CACHE, 'out', `ours-${slug(input.label)}`);
    const peerDir = join(BENCH_CACHE, 'out', `peer-${slug(input.label)}`);
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
    rows.push({ label: input.label, operations, ours, peer });
  }
  return rows;
}

export function describe(run: Measured): string {
  if (run.timedOut) return `timed out after ${run.wallS.toFixed(0)} s`;
  const head = `${run.wallS.toFixed(2)} s wall, ${run.cpuS.toFixed(2)} s CPU, ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MB`;
  return run.status === 0 ? head : `exit ${run.status}: ${head}\n${run.stderrTail}`;
}

function slug(label: string): string {
  return label.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}
