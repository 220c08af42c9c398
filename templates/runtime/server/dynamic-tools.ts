import { fromJsonSchema } from '@modelcontextprotocol/server';
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import type { ToolDefinition } from '../mcp/types.js';
import type { InvokeContext } from './invoke-tool.js';
import { invokeTool, note, validateArguments } from './invoke-tool.js';
import type { PreparedTool } from './tool-registry.js';
import type { SearchIndex } from './tool-search.js';
import { MAX_SEARCH_LIMIT, searchTools } from './tool-search.js';

/** The meta-tools a dynamic-mode server lists instead of its catalogue. */
export const META_TOOLS = { search: 'search_tools', describe: 'describe_tool', call: 'call_tool' } as const;

/** The catalogue, prepared and indexed once per process. */
export interface DynamicCatalogue {
  readonly byName: ReadonlyMap<string, PreparedTool>;
  readonly index: SearchIndex;
}

/**
 * Registers `search_tools`, `describe_tool` and `call_tool` on one
 * per-request server. `visible` says which tools this caller may see (the
 * tools/list filter): search and describe show only those, so dynamic mode
 * reveals no more than static mode would. `call_tool` is authorized like a
 * direct call: over HTTP the gate has checked the inner tool already
 * (`toolCallTarget`), and `invokeTool` checks again (and, over stdio, alone).
 */
export function registerDynamicTools(
  server: McpServer,
  catalogue: DynamicCatalogue,
  visible: (tool: ToolDefinition) => boolean,
  ctx: InvokeContext,
): void {
  server.registerTool(
    META_TOOLS.search,
    {
      title: 'Search tools',
      description: `Find the API operation for a task. Returns up to \`limit\` (at most ${MAX_SEARCH_LIMIT}) matching tools, best first: name, one-line summary, HTTP method and path. Then call describe_tool for its arguments and call_tool to run it.`,
      inputSchema: SEARCH_INPUT,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args: Record<string, unknown>): Promise<CallToolResult> => {
      const { hits, total } = searchTools(catalogue.index, String(args.query ?? ''), {
        ...(typeof args.tag === 'string' ? { tag: args.tag } : {}),
        limit: typeof args.limit === 'number' ? args.limit : 10,
        visible,
      });
      return json({ tools: hits, total });
    },
  );

  server.registerTool(
    META_TOOLS.describe,
    {
      title: 'Describe a tool',
      description:
        'The full definition of one tool found by search_tools: its input schema (with $defs), output schema, annotations and the scopes it needs.',
      inputSchema: DESCRIBE_INPUT,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args: Record<string, unknown>): Promise<CallToolResult> => {
      const tool = catalogue.byName.get(String(args.name));
      if (!tool || !visible(tool.definition)) return unknownTool(args.name);
      return json(describe(tool));
    },
  );

  server.registerTool(
    META_TOOLS.call,
    {
      title: 'Call a tool',
      description:
        "Call one tool by name with its arguments, as described by describe_tool. The arguments are validated against the tool's input schema before the API is called.",
      inputSchema: CALL_INPUT,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    },
    async (args: Record<string, unknown>, extra?: { mcpReq?: { signal?: AbortSignal } }): Promise<CallToolResult> => {
      // The whole catalogue, not only `visible`: a hidden tool is refused by the guard with its reason, as a direct call would be.
      const tool = catalogue.byName.get(String(args.name));
      if (!tool) return unknownTool(args.name);
      const valid = await validateArguments(tool, args.arguments ?? {});
      if (!valid.ok) return valid.result;
      return invokeTool(tool, valid.value, ctx, extra?.mcpReq?.signal);
    },
  );
}

/**
 * The tool a `tools/call` really runs, for the HTTP gate: in dynamic mode a
 * call of `call_tool` runs `params.arguments.name` with
 * `params.arguments.arguments`, and the search and describe meta-tools run
 * nothing (`undefined`: authentication alone admits them). In static mode
 * the call is what it says.
 */
export function toolCallTarget(
  call: { name: unknown; arguments: unknown },
  mode: 'static' | 'dynamic',
): { name: unknown; arguments: unknown } | undefined {
  if (mode === 'static') return call;
  if (call.name !== META_TOOLS.call) return undefined;
  const outer = isRecord(call.arguments) ? call.arguments : {};
  return { name: outer.name, arguments: outer.arguments };
}

function describe(tool: PreparedTool): Record<string, unknown> {
  const { definition } = tool;
  return {
    name: definition.name,
    ...(definition.title ? { title: definition.title } : {}),
    description: definition.description,
    method: definition.http.method,
    path: definition.http.path,
    inputSchema: tool.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' }),
    ...(tool.outputSchema
      ? { outputSchema: tool.outputSchema['~standard'].jsonSchema.output({ target: 'draft-2020-12' }) }
      : {}),
    annotations: definition.annotations,
    requiredScopes: definition.access.scopes,
    ...(definition.access.roles ? { roles: definition.access.roles } : {}),
    ...(definition.tags.length > 0 ? { tags: definition.tags } : {}),
  };
}

/** MCP 2025-11-25 "Structured Content": structured results SHOULD also be returned as serialized JSON text. */
function json(value: Record<string, unknown>): CallToolResult {
  return { content: [note(JSON.stringify(value))], structuredContent: value };
}

function unknownTool(name: unknown): CallToolResult {
  // The name is the caller's text: quoted and cut short, never interpreted.
  const shown = JSON.stringify(String(name).slice(0, 80));
  return { isError: true, content: [note(`Unknown tool ${shown}. Use ${META_TOOLS.search} to find tool names.`)] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const SEARCH_INPUT = fromJsonSchema<Record<string, unknown>>({
  type: 'object',
  properties: {
    query: {
      type: 'string',
      maxLength: 500,
      description: 'Words describing the task, a tool name, or a path such as /repos/{owner}/{repo}/issues.',
    },
    tag: { type: 'string', maxLength: 200, description: 'Only tools with this tag.' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 10 },
  },
  required: ['query'],
  additionalProperties: false,
});

const DESCRIBE_INPUT = fromJsonSchema<Record<string, unknown>>({
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 } },
  required: ['name'],
  additionalProperties: false,
});

const CALL_INPUT = fromJsonSchema<Record<string, unknown>>({
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 64 },
    arguments: { type: 'object', description: "The tool's arguments, matching its input schema." },
  },
  required: ['name'],
  additionalProperties: false,
});
