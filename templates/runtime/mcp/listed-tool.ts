import { shallowOutputSchema } from './output-shape.js';
import { toolSchemas } from './tool-schemas.js';
import type { AppDefinition, JsonSchema, OutputSchemaMode, ToolAnnotations, ToolDefinition } from './types.js';

/** `_meta` keys on a listed tool: what a caller needs, so a client can ask for it up front. */
export const META_SCOPES = 'openapi-to-mcp/scopes';
export const META_ROLES = 'openapi-to-mcp/roles';

/** A tool as `tools/list` carries it (MCP 2025-11-25 "Tool"), as plain JSON. */
export interface ListedTool {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly annotations?: ToolAnnotations;
  readonly _meta?: {
    readonly [META_SCOPES]?: readonly (readonly string[])[];
    readonly [META_ROLES]?: readonly string[];
  };
  readonly outputSchema?: JsonSchema;
}

export interface ListedToolOptions {
  /** What clients receive of the output schema (types.ts `OutputSchemaMode`). */
  readonly outputSchemas: OutputSchemaMode;
}

/**
 * The exact JSON object a tool is listed as, in the SDK's key order. Built
 * once per tool at start-up; every listing serializes the same object.
 *
 * - `inputSchema`: self-contained, with the definitions it reaches
 *   (tool-schemas.ts). Never shortened: it is what a model fills.
 * - `outputSchema`: per `options.outputSchemas`. Whatever is sent accepts
 *   every result the whole schema accepts, and the server checks results
 *   against the whole schema, so a client never receives a result that
 *   fails the schema it was given.
 * - `description`: without the one-line summary the generator put at its
 *   head (trim.ts `toolDescription`) when `title` says it already. The
 *   generated data keeps it, for dynamic mode's search and description.
 * - `annotations`: without `openWorldHint: true`, the MCP default, which
 *   every tool that calls an upstream API has. `destructiveHint` stays
 *   explicit (trim.ts `trimAnnotations`). Left out when nothing remains.
 * - `_meta`: only when it carries something. A tool any authenticated
 *   caller may call (an empty scope alternative) needs no scope: `[[]]`
 *   said nothing, on every tool of a large API.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/schema#toolannotations
 */
export function listedTool(tool: ToolDefinition, defs: AppDefinition['defs'], options: ListedToolOptions): ListedTool {
  const { inputSchema, outputSchema } = toolSchemas(tool, defs);
  const meta = metaOf(tool);
  const annotations = annotationsOf(tool.annotations);
  const output =
    tool.outputSchema === undefined
      ? undefined
      : outputFor(options.outputSchemas, tool.outputSchema, outputSchema, defs);
  return {
    name: tool.name,
    ...(tool.title ? { title: tool.title } : {}),
    description: descriptionOf(tool),
    inputSchema,
    ...(annotations ? { annotations } : {}),
    ...(meta ? { _meta: meta } : {}),
    ...(output ? { outputSchema: output } : {}),
  };
}

function outputFor(
  mode: OutputSchemaMode,
  own: JsonSchema,
  full: JsonSchema | undefined,
  defs: AppDefinition['defs'],
): JsonSchema | undefined {
  if (mode === 'none') return undefined;
  if (mode === 'full') return full;
  return shallowOutputSchema(own, defs);
}

function descriptionOf(tool: ToolDefinition): string {
  const head = tool.title ? `${tool.title}\n\n` : undefined;
  return head !== undefined && tool.description.startsWith(head) && tool.description.length > head.length
    ? tool.description.slice(head.length)
    : tool.description;
}

function annotationsOf(annotations: ToolAnnotations): ToolAnnotations | undefined {
  const { openWorldHint, ...rest } = annotations;
  const kept: ToolAnnotations = openWorldHint === false ? { ...rest, openWorldHint } : rest;
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function metaOf(tool: ToolDefinition): ListedTool['_meta'] | undefined {
  const { scopes, roles } = tool.access;
  // An empty alternative is satisfied by every caller: no scope is needed.
  const needsScopes = scopes.length > 0 && scopes.every((alternative) => alternative.length > 0);
  const needsRoles = roles !== undefined && roles.length > 0;
  if (!needsScopes && !needsRoles) return undefined;
  return { ...(needsScopes ? { [META_SCOPES]: scopes } : {}), ...(needsRoles ? { [META_ROLES]: roles } : {}) };
}
