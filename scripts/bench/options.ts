export const SECTIONS = ['generation', 'startup', 'servers'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  readonly quick: boolean;
  readonly sections: readonly Section[];
  /** Generation inputs by label (`github-rest`, `synthetic-20k`...); undefined: the default set. */
  readonly inputs?: readonly string[];
  /** Per generation run; a run that takes longer is killed and reported as timed out. */
  readonly generationTimeoutS: number;
  /** Alternated runs of each generator per input: figures are their medians. */
  readonly generationRuns: number;
  readonly loadSeconds: number;
  /** Load runs of each target, alternated (proxy, minimal MCP, server; again...): figures are their medians. */
  readonly loadRounds: number;
  readonly connections: number;
  readonly warmup: number;
  readonly samples: number;
  readonly listRuns: number;
  readonly startupRuns: number;
}

export const USAGE = `npm run bench [-- options]
  --quick               GitHub and synthetic 1k only, 2 rounds of 3 s load runs, fewer samples
  --only=<sections>     comma-separated: ${SECTIONS.join(', ')} (default: all)
  --inputs=<labels>     generation inputs only, e.g. github-rest,synthetic-20k (labels as printed)
  --gen-timeout=<s>     kill a generation run after this many seconds (default 900)
  --gen-runs=<n>        alternated runs of each generator per input (default 5; quick 3)
  --load-seconds=<s>    duration of each autocannon run (default 5; quick 3)
  --load-rounds=<n>     alternated load runs of proxy, minimal MCP and server (default 3; quick 2)`;

/** Reads the bench's flags; throws with the usage on anything it does not know. */
export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const quick = args.includes('--quick');
  let sections: readonly Section[] = SECTIONS;
  let generationTimeoutS = 900;
  let loadSeconds = quick ? 3 : 5;
  let loadRounds = quick ? 2 : 3;
  let generationRuns = quick ? 3 : 5;
  let inputs: string[] | undefined;
  for (const arg of args) {
    const [flag, value = ''] = arg.split('=', 2) as [string, string?];
    if (flag === '--quick') continue;
    if (flag === '--only') {
      const wanted = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = wanted.filter((s) => !(SECTIONS as readonly string[]).includes(s));
      if (wanted.length === 0 || unknown.length > 0)
        throw new Error(`unknown section ${unknown.join(', ') || '(none)'}\n${USAGE}`);
      sections = SECTIONS.filter((s) => wanted.includes(s));
    } else if (flag === '--inputs') {
      inputs = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (inputs.length === 0) throw new Error(`--inputs needs labels\n${USAGE}`);
    } else if (flag === '--gen-timeout') generationTimeoutS = positive(flag, value);
    else if (flag === '--gen-runs') generationRuns = Math.ceil(positive(flag, value));
    else if (flag === '--load-seconds') loadSeconds = positive(flag, value);
    else if (flag === '--load-rounds') loadRounds = Math.ceil(positive(flag, value));
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return {
    quick,
    sections,
    ...(inputs ? { inputs } : {}),
    generationTimeoutS,
    generationRuns,
    loadSeconds,
    loadRounds,
    connections: 50,
    warmup: quick ? 50 : 100,
    samples: quick ? 200 : 500,
    listRuns: quick ? 2 : 5,
    startupRuns: quick ? 3 : 7,
  };
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${flag} needs a positive number of seconds (got "${value}")\n${USAGE}`);
  return n;
}
