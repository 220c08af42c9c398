import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: `npm run bench` runs there. */
export const REPO = process.cwd();
export const CLI = join(REPO, 'bin/openapi-to-mcp.js');
export const PEER_CLI = join(REPO, 'node_modules/openapi-mcp-generator/bin/openapi-mcp-generator.js');
export const SPECS = resolve(REPO, '../shared/specs');
export const BENCH_CACHE = join(REPO, '.cache/bench');
/** The compiled bench scripts (tsconfig.bench.json), for the helper processes it starts. */
export const BENCH_JS = join(BENCH_CACHE, 'scripts/bench');

export function assertRepoRoot(): void {
  if (!existsSync(CLI)) throw new Error(`bench: run from the repository root (npm run bench); no ${CLI}`);
  if (!existsSync(PEER_CLI)) throw new Error('bench: openapi-mcp-generator is missing; run npm ci');
}
