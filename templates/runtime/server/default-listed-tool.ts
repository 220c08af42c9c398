import type { JsonSchema } from '../mcp/types.js';
import type { PreparedTool } from './tool-registry.js';

/** `_meta` keys on each listed tool: what a caller needs, so a client can ask for it up front. */
export const META_SCOPES = 'openapi-to-mcp/scopes';
export const META_ROLES = 'openapi-to-mcp/roles';

/**
 * A tool as `McpServer` listed it (MCP 2025-11-25 "Tools" / Tool): the
 * shape the server had before the listing was built once per process, kept
 * byte for byte (key order included) as the default of the `describe` seam.
 */
export function defaultListedTool(tool: PreparedTool): Readonly<Record<string, unknown>> {
  const { definition } = tool;
  const input = tool.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as JsonSchema;
  const output = tool.outputSchema?.['~standard'].jsonSchema.output({ target: 'draft-2020-12' }) as JsonSchema | undefined;
  return {
    name: definition.name,
    ...(definition.title ? { title: definition.title } : {}),
    description: definition.description,
    // The SDK lists an input schema as an object schema: `type` first, then the schema's own keys.
    inputSchema: { type: 'object', ...input },
    annotations: { ...definition.annotations },
    _meta: {
      [META_SCOPES]: definition.access.scopes,
      ...(definition.access.roles ? { [META_ROLES]: definition.access.roles } : {}),
    },
    ...(output ? { outputSchema: advertisedOutputSchema(output) } : {}),
  };
}

/**
 * The SDK's rule for an advertised output schema: a typeless root gets
 * `type: "object"` only when it is provably object-shaped (object keywords,
 * a local `$ref` to an object definition, or a composition of such).
 */
function advertisedOutputSchema(schema: JsonSchema): JsonSchema {
  const record = schema as Record<string, unknown>;
  if (record.type !== undefined) return schema;
  return objectShaped(record, record) ? ({ type: 'object', ...record } as JsonSchema) : schema;
}

const LOCAL_DEFINITION_REF = /^#\/(\$defs|definitions)\/([^/~%]+)$/;

function objectShaped(schema: Record<string, unknown>, root: Record<string, unknown>): boolean {
  if ('properties' in schema || 'patternProperties' in schema || 'additionalProperties' in schema || 'required' in schema) return true;
  const ref = typeof schema.$ref === 'string' ? LOCAL_DEFINITION_REF.exec(schema.$ref) : null;
  if (ref) {
    const defs = root[ref[1] as string] as Record<string, { type?: unknown } | undefined> | undefined;
    if (defs?.[ref[2] as string]?.type === 'object') return true;
  }
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const members = schema[key];
    if (Array.isArray(members) && members.length > 0) {
      return members.every((m) => m !== null && typeof m === 'object' && ((m as Record<string, unknown>).type === 'object' || objectShaped(m as Record<string, unknown>, '$id' in m ? {} : root)));
    }
  }
  return false;
}
