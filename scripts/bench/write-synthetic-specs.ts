// Writes the synthetic specs of `npm run bench` (GitHub's paths copied up to 1k, 5k and 20k
// operations) to .cache/bench/. Run alone: node .cache/bench/scripts/bench/write-synthetic-specs.js
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticSpec } from './synthetic-spec.js';

export const SYNTHETIC_SIZES = [1_000, 5_000, 20_000] as const;

export interface SyntheticFile {
  readonly label: string;
  readonly operations: number;
  readonly file: string;
}

/** Builds one file per size from `sourceFile` (a JSON spec) into `outDir`; returns them, smallest first. */
export function writeSyntheticSpecs(
  sourceFile: string,
  outDir: string,
  sizes: readonly number[] = SYNTHETIC_SIZES,
): SyntheticFile[] {
  const source = JSON.parse(readFileSync(sourceFile, 'utf8')) as Record<string, unknown>;
  mkdirSync(outDir, { recursive: true });
  return [...sizes]
    .sort((a, b) => a - b)
    .map((operations) => {
      const label = `synthetic-${operations / 1000}k`;
      const file = join(outDir, `synthetic-${operations / 1000}k.json`);
      writeFileSync(file, JSON.stringify(syntheticSpec(source, operations)));
      return { label, operations, file };
    });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [source = '../shared/specs/github-rest.json', out = '.cache/bench'] = process.argv.slice(2);
  for (const written of writeSyntheticSpecs(source, out))
    console.log(`${written.file}: ${written.operations} operations`);
}
