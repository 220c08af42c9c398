import type { AppDefinition, JsonSchema, ToolDefinition } from './types.js';

type Defs = AppDefinition['defs'];
type Schema = JsonSchema | boolean;

/**
 * A tool's schemas as MCP clients see them: self-contained JSON Schema
 * 2020-12 documents, each carrying the shared definitions it reaches under
 * `$defs` (2020-12 §8.2.4), so `$ref: "#/$defs/Pet"` resolves inside the tool.
 * A definition the document refers to exactly once is written in place of
 * its `$ref` instead (the same schema, without its name said twice).
 * Call once per tool at start-up: the result is meant to be cached.
 */
export function toolSchemas(tool: ToolDefinition, defs: Defs): { inputSchema: JsonSchema; outputSchema?: JsonSchema } {
  const inputSchema = withDefs(tool.inputSchema, defs);
  return tool.outputSchema ? { inputSchema, outputSchema: withDefs(tool.outputSchema, defs) } : { inputSchema };
}

function withDefs(schema: JsonSchema, defs: Defs): JsonSchema {
  const names = reachable(schema, defs);
  if (names.length === 0) return schema;
  // A missing definition would make the schema unresolvable; `true` accepts any value instead of failing every call.
  const picked = new Map(names.map((name) => [name, defs[name] ?? true] as const));
  const uses = new Map<string, number>();
  const replaceable = new Set<string>();
  for (const node of [schema, ...picked.values()]) countRefs(node, uses, replaceable);
  const inline = new Set(
    names.filter((name) => uses.get(name) === 1 && replaceable.has(name) && movable(picked.get(name) as Schema)),
  );
  const expand = (node: Schema): Schema =>
    replaceRefs(node, (name) => (inline.has(name) ? expand(picked.get(name) as Schema) : undefined));
  const root = expand(schema) as JsonSchema;
  const kept = names.filter((name) => !inline.has(name));
  if (kept.length === 0) return root;
  return { ...root, $defs: Object.fromEntries(kept.map((name) => [name, expand(picked.get(name) as Schema)])) };
}

const REF = /"#\/\$defs\/([^"]+)"/g;

function reachable(schema: JsonSchema, defs: Defs): string[] {
  const seen = new Set<string>();
  const queue = [schema as Schema];
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

/** Keywords whose values are instances, not schemas: a `$ref` inside one is data (2020-12 Validation §6.1.2, §6.1.3, Meta-Data §9). */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'example']);
/** Keywords whose value maps names to schemas: the names are data, the values schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/**
 * Inlining moves a definition into another resource scope: refused when the
 * definition sets a base URI or an anchor, or resolves dynamically
 * (2020-12 Core §8.2), where the move could change what a reference means.
 */
const SCOPED = /"\$(?:id|anchor|dynamicAnchor|dynamicRef|recursiveAnchor|recursiveRef)"/;

function movable(def: Schema): boolean {
  return typeof def === 'object' && !SCOPED.test(JSON.stringify(def));
}

function localRef(node: JsonSchema): string | undefined {
  const ref = node.$ref;
  return typeof ref === 'string' && ref.startsWith('#/$defs/')
    ? decodeJsonPointerToken(ref.slice('#/$defs/'.length))
    : undefined;
}

/** How often each definition is referred to, and which are referred to where the reference may be replaced (`replaceRefs`). */
function countRefs(node: unknown, uses: Map<string, number>, replaceable: Set<string>): void {
  walkSchemas(node, (schema) => {
    const name = localRef(schema);
    if (name === undefined) return;
    uses.set(name, (uses.get(name) ?? 0) + 1);
    if (onlyAnnotationsBeside(schema)) replaceable.add(name);
  });
}

function onlyAnnotationsBeside(schema: JsonSchema): boolean {
  return Object.keys(schema).every((key) => key === '$ref' || ANNOTATIONS.has(key));
}

function walkSchemas(node: unknown, visit: (schema: JsonSchema) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkSchemas(item, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as JsonSchema;
  visit(schema);
  for (const [key, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null)
      for (const sub of Object.values(value)) walkSchemas(sub, visit);
    else walkSchemas(value, visit);
  }
}

/**
 * A copy of `node` where each `{ "$ref": "#/$defs/X" }` that `replacement`
 * answers for becomes that schema. Only a `$ref` alone (or beside
 * annotations) is replaced: a sibling assertion such as `additionalProperties`
 * would read a merged object differently (2020-12 Core §7.7.1.1).
 */
function replaceRefs(node: Schema, replacement: (name: string) => Schema | undefined): Schema {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    const schema = value as JsonSchema;
    const name = localRef(schema);
    if (name !== undefined && onlyAnnotationsBeside(schema)) {
      const { $ref: _ref, ...siblings } = schema;
      const target = replacement(name);
      if (target !== undefined)
        return typeof target === 'boolean' || Object.keys(siblings).length === 0 ? target : { ...target, ...siblings };
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(schema)) {
      if (DATA_KEYWORDS.has(key)) out[key] = v;
      else if (SCHEMA_MAPS.has(key) && typeof v === 'object' && v !== null && !Array.isArray(v))
        out[key] = Object.fromEntries(Object.entries(v).map(([k, s]) => [k, visit(s)]));
      else out[key] = visit(v);
    }
    return out;
  };
  return visit(node) as Schema;
}

/** Meta-Data vocabulary (2020-12 Validation §9) and `$comment`: beside a `$ref` they describe the use, they assert nothing. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'default',
]);

function decodeJsonPointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
