import { localDefName } from './local-defs.js';
import type { AppDefinition, JsonSchema } from './types.js';

type Defs = AppDefinition['defs'];
type Schema = JsonSchema | boolean;

/**
 * The top level of an output schema: `type: "object"` and the names of the
 * properties every result has (`required`); no `properties`, no `$ref`, no
 * `$defs`. Enough for a client to know what a result holds, at a fraction
 * of the size: GitHub's 644 output schemas are 2.1 MB whole, 297 KB with the
 * type of each top-level property added, 69 KB as here.
 *
 * Sound by construction: every value the whole schema accepts, this one
 * accepts. It keeps only conjuncts of the whole schema (2020-12 Core §7.6:
 * the keywords of a schema object, the target of its `$ref` and the members
 * of its `allOf` all apply) and drops the rest, which can only widen. The
 * server validates results against the whole schema, so a result it sends
 * always passes the shallow one a client validates with.
 *
 * The root is `type: "object"`: MCP 2025-11-25 "Output Schema" requires it,
 * and the server only sends an object as `structuredContent`.
 */
export function shallowOutputSchema(schema: JsonSchema, defs: Defs): JsonSchema {
  const required = new Set<string>();
  for (const part of conjuncts(schema, defs, new Set())) {
    if (Array.isArray(part.required))
      for (const name of part.required) if (typeof name === 'string') required.add(name);
  }
  return { type: 'object', ...(required.size > 0 ? { required: [...required] } : {}) };
}

/** The schema and, through `$ref` and `allOf`, every schema that must also hold (each visited once, so cycles end). */
function conjuncts(schema: Schema, defs: Defs, seen: Set<Schema>): JsonSchema[] {
  if (typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const out = [schema];
  const target = refTarget(schema, defs);
  if (target !== undefined) out.push(...conjuncts(target, defs, seen));
  if (Array.isArray(schema.allOf))
    for (const member of schema.allOf) out.push(...conjuncts(member as Schema, defs, seen));
  return out;
}

function refTarget(schema: JsonSchema, defs: Defs): Schema | undefined {
  const name = localDefName(schema.$ref);
  return name === undefined ? undefined : defs[name];
}
