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
export function callTool(
  target: CallTarget,
  params: { readonly name: string; readonly arguments?: Record<string, unknown> },
  invoke: InvokeContext,
  project: (result: CallToolResult, outputSchema: Readonly<Record<string, unknown>> | undefined) => CallToolResult,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  // Not async: one `then` on the call's own promise instead of an async frame per call. As from an
  // async function, an unknown tool (or any throw before the arguments are checked) is a rejection.
  let tool: PreparedTool | undefined;
  try {
    tool = target.find(params.name);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!tool) return Promise.reject(new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${params.name} not found`));
  const found = tool;
  try {
    const pending = checkArguments(found, params.arguments);
    if (pending instanceof Promise)
      return pending.then(
        (checked) => callChecked(target, found, checked, params.name, invoke, project, signal),
        failed,
      );
    return callChecked(target, found, pending, params.name, invoke, project, signal);
  } catch (error) {
    return Promise.resolve(failed(error));
  }
}

function callChecked(
  target: CallTarget,
  tool: PreparedTool,
  checked: Awaited<ReturnType<typeof checkArguments>>,
  name: string,
  invoke: InvokeContext,
  project: (result: CallToolResult, outputSchema: Readonly<Record<string, unknown>> | undefined) => CallToolResult,
  signal: AbortSignal | undefined,
): Promise<CallToolResult> {
  // McpServer's wording, so a static tool answers as when the SDK registered it.
  if (!checked.ok)
    return Promise.resolve(
      toolError(`Input validation error: Invalid arguments for tool ${name}: ${checked.issues.join(', ')}`),
    );
  return invokeTool(tool, checked.value, invoke, signal).then((result) => {
    try {
      return project(result, target.advertisedOutputSchema(tool));
    } catch (error) {
      return failed(error);
    }
  }, failed);
}

/** A handler failure, as a tool error (McpServer's behaviour). */
function failed(error: unknown): CallToolResult {
  return toolError(error instanceof Error ? error.message : String(error));
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
