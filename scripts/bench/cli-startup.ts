import { measureCommand } from './measure-command.js';
import { CLI } from './paths.js';
import { median } from './stats.js';

export interface StartupRow {
  readonly label: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssBytes: number;
}

/** `openapi-to-mcp --version` against the floor, `node -e 0`: medians of `runs` alternating runs. */
export async function measureCliStartup(runs: number): Promise<StartupRow[]> {
  const commands = [
    { label: '`openapi-to-mcp --version`', args: [CLI, '--version'] },
    { label: '`node -e 0`', args: ['-e', '0'] },
  ];
  const samples = commands.map(() => ({ wall: [] as number[], cpu: [] as number[], rss: [] as number[] }));
  for (let i = 0; i < runs; i++) {
    for (const [index, command] of commands.entries()) {
      const run = await measureCommand(process.execPath, command.args, { timeoutMs: 30_000 });
      if (run.status !== 0) throw new Error(`${command.label} failed (exit ${run.status}): ${run.stderrTail}`);
      const sample = samples[index]!;
      sample.wall.push(run.wallS * 1000);
      sample.cpu.push(run.cpuS * 1000);
      sample.rss.push(run.peakRssBytes);
    }
  }
  return commands.map((command, index) => {
    const sample = samples[index]!;
    return {
      label: command.label,
      wallMs: median(sample.wall),
      cpuMs: median(sample.cpu),
      peakRssBytes: median(sample.rss),
    };
  });
}
