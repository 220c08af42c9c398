import type { AppDefinition, JsonSchema, ToolDefinition } from './types.js';

type Defs = AppDefinition['defs'];

/**
 * A tool's schemas as MCP clients see them: self-contained JSON Schema 2020-12
 * documents, each carrying exactly the shared definitions it reaches under
 * `$defs` (2020-12 §8.2.4), so `$ref: "#/$defs/Pet"` resolves inside the tool.
 * Call once per tool at start-up: the result is meant to be cached.
 */
export function toolSchemas(tool: ToolDefinition, defs: Defs): { inputSchema: JsonSchema; outputSchema?: JsonSchema } {
  const inputSchema = withDefs(tool.inputSchema, defs);
  return tool.outputSchema ? { inputSchema, outputSchema: withDefs(tool.outputSchema, defs) } : { inputSchema };
}

function withDefs(schema: JsonSchema, defs: Defs): JsonSchema {
  const names = reachable(schema, defs);
  if (names.length === 0) return schema;
  const picked: Record<string, JsonSchema | boolean> = {};
  // A missing definition would make the schema unresolvable; `true` accepts any value instead of failing every call.
  for (const name of names) picked[name] = defs[name] ?? true;
  return { ...schema, $defs: picked };
}

const REF = /"#\/\$defs\/([^"]+)"/g;

function reachable(schema: JsonSchema, defs: Defs): string[] {
  const seen = new Set<string>();
  const queue = [schema as JsonSchema | boolean];
  while (queue.length > 0) {
    const next = queue.pop();
    for (const match of JSON.stringify(next).matchAll(REF)) {
      const name = decodeJsonPointerToken(match[1] as string);
      if (seen.has(name)) continue;
      seen.add(name);
      const def = defs[name];
      if (def !== undefined) queue.push(def);
    }
  }
  return [...seen].sort();
}

function decodeJsonPointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
