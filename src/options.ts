import { createHash } from 'node:crypto';
import type { ToolMode } from '../templates/runtime/mcp/types.js';

/** Every option resolved once, defaults filled, frozen (STYLE.md §10). */
export interface ResolvedOptions {
  /** The spec as the user named it, recorded in the generated README. */
  readonly specLabel: string;
  /** npm package name of the generated project. */
  readonly packageName: string;
  /** Generated tests call at most this many tools against the stub upstream. */
  readonly testedTools: number;
  /** `static`: tools/list is the catalogue; `dynamic`: three meta-tools over it (`--tool-mode`, run-time MCP_TOOL_MODE). */
  readonly toolMode: ToolMode;
  /**
   * Where the spec is, seen from the project folder (POSIX, e.g. `../openapi.yaml`), or its
   * http(s) URL; absent for stdin. The generated CI workflow runs `--check` with it.
   */
  readonly specPath?: string;
  /**
   * SHA-256 of the resolved configuration file, once one exists (DESIGN.md §1): set it here so
   * that a changed config makes the lock file's `optionsHash`, and so `--check`, stale.
   */
  readonly configHash?: string;
  /**
   * A config named with `--config` (not the one found beside the spec), seen from the project
   * folder: regenerating (README, CI `--check`) must name it too.
   */
  readonly configPath?: string;
  /** `--name` was given: regenerating must repeat it. */
  readonly explicitName?: boolean;
  /**
   * The project folder seen from the root of the repository its CI runs from (POSIX, relative,
   * e.g. `servers/pets`; `--ci-root` or config `ci.root`); absent when the project is the root.
   * The CI workflow then runs in that folder and only for changes that concern it.
   */
  readonly ciProject?: string;
  /** `ciProject` came from `--ci-root` (not the config): regenerating must repeat the flag. */
  readonly explicitCiRoot?: boolean;
}

export function resolveOptions(
  partial: Partial<ResolvedOptions> & { specLabel: string; packageName: string },
): ResolvedOptions {
  return Object.freeze({ testedTools: 8, toolMode: 'static' as const, ...partial });
}

/**
 * SHA-256 of every option, as canonical JSON (keys sorted at every level, `undefined` left out):
 * all of ResolvedOptions shapes the output, so any option added later is covered without a change here.
 */
export function optionsHash(options: ResolvedOptions): string {
  return createHash('sha256').update(canonicalJson(options)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
