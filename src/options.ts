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
}

export function resolveOptions(partial: Partial<ResolvedOptions> & { specLabel: string; packageName: string }): ResolvedOptions {
  return Object.freeze({ testedTools: 8, toolMode: 'static' as const, ...partial });
}
