import { join } from 'node:path';
import type { GenerationInput } from './generation.js';
import { BENCH_CACHE, SPECS } from './paths.js';
import { SYNTHETIC_SIZES, writeSyntheticSpecs } from './write-synthetic-specs.js';

const REAL = ['github-rest', 'stripe-api', 'kubernetes-api'] as const;
const SYNTHETIC = SYNTHETIC_SIZES.map((n) => ({ label: `synthetic-${n / 1000}k`, operations: n }));
export const INPUT_LABELS: readonly string[] = [...REAL, ...SYNTHETIC.map((s) => s.label)];

export interface GenerationPlan {
  readonly labels: readonly string[];
  /** Writes the synthetic specs the plan needs (from GitHub's paths) and returns every input, in label order. */
  inputs(): GenerationInput[];
}

/** The inputs to generate: `wanted` labels, else all (quick: GitHub and synthetic 1k). Throws on an unknown label. */
export function planGeneration(wanted: readonly string[] | undefined, quick: boolean): GenerationPlan {
  const labels = wanted ?? (quick ? ['github-rest', 'synthetic-1k'] : INPUT_LABELS);
  const unknown = labels.filter((label) => !INPUT_LABELS.includes(label));
  if (unknown.length > 0)
    throw new Error(`unknown input ${unknown.join(', ')}; choose from ${INPUT_LABELS.join(', ')}`);
  const ordered = INPUT_LABELS.filter((label) => labels.includes(label));
  return {
    labels: ordered,
    inputs: () => {
      const sizes = SYNTHETIC.filter((s) => ordered.includes(s.label)).map((s) => s.operations);
      const synthetic =
        sizes.length > 0 ? writeSyntheticSpecs(join(SPECS, 'github-rest.json'), BENCH_CACHE, sizes) : [];
      return ordered.map(
        (label) => synthetic.find((s) => s.label === label) ?? { label, file: join(SPECS, `${label}.json`) },
      );
    },
  };
}
