import { fromJsonSchema } from '@modelcontextprotocol/server';
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { toolSchemas } from '../mcp/tool-schemas.js';
import type { AppDefinition, JsonSchema, ToolDefinition } from '../mcp/types.js';

/** A tool ready to register: its self-contained schemas, wrapped for the SDK once per process. */
export interface PreparedTool {
  readonly definition: ToolDefinition;
  readonly inputSchema: StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>>;
  readonly outputSchema?: StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>>;
}

/**
 * Prepares every tool once per process. Nothing is computed per tool at
 * start-up: a tool's self-contained schemas are assembled on first use and
 * its validator compiled on its first call, so a server with a thousand
 * tools starts at once and pays only for the tools it serves.
 */
export function prepareTools(app: AppDefinition): PreparedTool[] {
  return app.tools.map((definition) => prepareTool(definition, app.defs));
}

export function prepareTool(definition: ToolDefinition, defs: AppDefinition['defs']): PreparedTool {
  let schemas: ReturnType<typeof toolSchemas> | undefined;
  const get = () => (schemas ??= toolSchemas(definition, defs));
  const inputSchema = lazySchema(() => get().inputSchema);
  if (!definition.outputSchema) return { definition, inputSchema };
  return { definition, inputSchema, outputSchema: lazySchema(() => get().outputSchema as JsonSchema) };
}

function lazySchema(
  schemaOf: () => JsonSchema,
): StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>> {
  let compiled: StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>> | undefined;
  const get = () => (compiled ??= compileOrAccept(schemaOf()));
  return {
    '~standard': {
      version: 1,
      vendor: 'openapi-to-mcp',
      jsonSchema: {
        input: () => schemaOf(),
        output: () => schemaOf(),
      },
      validate: (data: unknown) => get()['~standard'].validate(data),
    },
  };
}

/**
 * Some real specs carry schemas Ajv cannot compile (draft 2019-09 `$recursiveRef`, regexes that
 * are invalid in Unicode mode). Refusing every call to such a tool helps nobody: the arguments are
 * still serialized defensively, so validation falls back to accepting, and says so once on stderr.
 */
function compileOrAccept(schema: JsonSchema): StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>> {
  try {
    return fromJsonSchema<Record<string, unknown>>(schema);
  } catch (error) {
    process.stderr.write(
      `${JSON.stringify({ level: 'warn', msg: 'schema not validated: it does not compile', error: (error as Error).message })}\n`,
    );
    return {
      '~standard': {
        version: 1,
        vendor: 'openapi-to-mcp',
        jsonSchema: { input: () => schema, output: () => schema },
        validate: (data: unknown) => ({ value: data as Record<string, unknown> }),
      },
    };
  }
}
