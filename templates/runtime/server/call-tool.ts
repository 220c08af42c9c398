import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { InvokeContext } from './invoke-tool.js';
import { checkArguments, invokeTool } from './invoke-tool.js';
import type { PreparedTool } from './tool-registry.js';

/** What a `tools/call` needs from the prebuilt registry. */
export interface CallTarget {
  /** The tool by name, or `undefined` when this caller cannot see it (it is then "not found", as unlisted). */
  readonly find: (name: string) => PreparedTool | undefined;
  /** The output schema the tool is listed with, for the SDK's wire projection of structured results. */
  readonly advertisedOutputSchema: (tool: PreparedTool) => Readonly<Record<string, unknown>> | undefined;
}

/**
 * `tools/call` for the low-level server, with `McpServer`'s semantics:
 * an unknown tool is a JSON-RPC -32602 error; invalid arguments and a
 * handler failure are tool errors (`isError`) with the SDK's wording; the
 * result is projected through the negotiated era's codec.
 */
export async function callTool(
  target: CallTarget,
  params: { readonly name: string; readonly arguments?: Record<string, unknown> },
  invoke: InvokeContext,
  project: (result: CallToolResult, outputSchema: Readonly<Record<string, unknown>> | undefined) => CallToolResult,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const tool = target.find(params.name);
  if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${params.name} not found`);
  try {
    const pending = checkArguments(tool, params.arguments);
    const checked = pending instanceof Promise ? await pending : pending;
    // McpServer's wording, so a static tool answers as when the SDK registered it.
    if (!checked.ok)
      return toolError(
        `Input validation error: Invalid arguments for tool ${params.name}: ${checked.issues.join(', ')}`,
      );
    const result = await invokeTool(tool, checked.value, invoke, signal);
    return project(result, target.advertisedOutputSchema(tool));
  } catch (error) {
    return toolError(error instanceof Error ? error.message : String(error));
  }
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
