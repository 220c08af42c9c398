import type { AppDefinition, ToolMode } from '../mcp/types.js';

/** Without MCP_TOOL_MODE and without a mode in the generated data: every tool is its own MCP tool. */
export const DEFAULT_TOOL_MODE: ToolMode = 'static';

/**
 * The tool mode a server runs in, decided in this one place: MCP_TOOL_MODE
 * when set, else the generator's choice in the generated data, else
 * `static`. `server/main.ts` resolves it once and hands the result to the
 * server factory and the authorization gate.
 */
export function resolveToolMode(app: Pick<AppDefinition, 'toolMode'>, configured?: ToolMode): ToolMode {
  return configured ?? app.toolMode ?? DEFAULT_TOOL_MODE;
}
