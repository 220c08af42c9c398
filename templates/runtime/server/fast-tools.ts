import type { AuthInfo, CallToolResult, McpServerFactory } from '@modelcontextprotocol/server';
import type { ToolListPage } from './tool-list-pages.js';

/**
 * What the HTTP fast lane (`fast-lane.ts`) needs from a server factory: the
 * same `tools/call` and `tools/list` the factory's per-request SDK server
 * runs, without building that server. Results are those of the 2025 era's
 * wire codec, the era the fast lane serves.
 */
export interface FastTools {
  /**
   * A `tools/call`, exactly as the factory's server runs it.
   * @throws {ProtocolError} as the SDK handler does (an unknown tool: -32602).
   */
  call(
    params: { readonly name: string; readonly arguments?: Record<string, unknown> },
    authInfo: AuthInfo | undefined,
    signal: AbortSignal,
  ): Promise<CallToolResult>;
  /**
   * A `tools/list` page for this caller.
   * @throws {InvalidCursorError} for a cursor this server did not issue for this caller's list.
   */
  list(cursor: string | undefined, authInfo: AuthInfo | undefined): ToolListPage;
}

const fastTools = new WeakMap<McpServerFactory, FastTools>();

/** Marks `factory` as one whose `tools/call` and `tools/list` the fast lane may answer with `tools`. */
export function withFastTools(factory: McpServerFactory, tools: FastTools): McpServerFactory {
  fastTools.set(factory, tools);
  return factory;
}

/** The fast-lane handlers of a factory; `undefined` when every request must go to the SDK (dynamic mode, a test's own factory). */
export function fastToolsOf(factory: McpServerFactory): FastTools | undefined {
  return fastTools.get(factory);
}
