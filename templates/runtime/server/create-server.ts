import { McpServer } from '@modelcontextprotocol/server';
import type { CallToolResult, McpServerFactory } from '@modelcontextprotocol/server';
import { callUpstream } from '../http/call-upstream.js';
import type { UpstreamOptions } from '../http/call-upstream.js';
import type { ToolResult } from '../http/tool-result.js';
import type { AppDefinition } from '../mcp/types.js';
import type { PreparedTool } from './tool-registry.js';
import { prepareTools } from './tool-registry.js';

export interface ServerFactoryOptions {
  readonly app: AppDefinition;
  readonly upstream: Omit<UpstreamOptions, 'schemes'>;
}

/**
 * One factory serves every transport and protocol era: stdio calls it once
 * per connection, the HTTP handler once per request (stateless).
 */
export function createServerFactory(options: ServerFactoryOptions): McpServerFactory {
  const prepared = prepareTools(options.app);
  const upstream: UpstreamOptions = { ...options.upstream, schemes: options.app.schemes };
  return () => buildServer(options.app, prepared, upstream);
}

function buildServer(app: AppDefinition, tools: readonly PreparedTool[], upstream: UpstreamOptions): McpServer {
  const server = new McpServer(
    { name: app.server.name, version: app.server.version, ...(app.server.title ? { title: app.server.title } : {}) },
    { capabilities: { tools: { listChanged: false } } },
  );
  for (const tool of tools) {
    const { definition } = tool;
    server.registerTool(
      definition.name,
      {
        ...(definition.title ? { title: definition.title } : {}),
        description: definition.description,
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        annotations: { ...definition.annotations },
      },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        const result = await callUpstream(definition, args ?? {}, upstream);
        return conformOutput(tool, toCallToolResult(result));
      },
    );
  }
  return server;
}

/**
 * MCP 2025-11-25 "Output Schema": with an output schema, a successful result
 * MUST carry conforming `structuredContent`. Real APIs drift from their
 * specs; rather than let the SDK replace the body with a bare validation
 * error, report the mismatch and keep the body for the caller to read.
 */
async function conformOutput(tool: PreparedTool, result: CallToolResult): Promise<CallToolResult> {
  if (!tool.outputSchema || result.isError) return result;
  if (result.structuredContent === undefined) {
    return { ...result, isError: true, content: [note('The upstream response was not a JSON object as the API declares.'), ...result.content] };
  }
  const checked = await tool.outputSchema['~standard'].validate(result.structuredContent);
  if (!('issues' in checked) || checked.issues === undefined) return result;
  const detail = checked.issues.map((i) => i.message).join('; ');
  const { structuredContent: _dropped, ...rest } = result;
  return { ...rest, isError: true, content: [note(`The upstream response does not match the declared output schema: ${detail}`), ...rest.content] };
}

function toCallToolResult(result: ToolResult): CallToolResult {
  return {
    content: [...result.content],
    ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    ...(result.isError ? { isError: true } : {}),
  };
}

function note(text: string): { type: 'text'; text: string } {
  return { type: 'text', text };
}
