import { defNamesInJson, localDefName, unescapePointerToken } from './local-defs.js';
import type { AppDefinition, JsonSchema, ToolDefinition } from './types.js';

type Defs = AppDefinition['defs'];
type Schema = JsonSchema | boolean;

/**
 * A tool's schemas as MCP clients see them: self-contained JSON Schema
 * 2020-12 documents, each carrying the shared definitions it reaches under
 * `$defs` (2020-12 §8.2.4), so `$ref: "#/$defs/Pet"` resolves inside the tool.
 * A definition the document refers to exactly once is written in place of
 * its `$ref` instead (the same schema, without its name said twice).
 * Computed once per tool and definition table; later calls return the same objects.
 */
export function toolSchemas(tool: ToolDefinition, defs: Defs): { inputSchema: JsonSchema; outputSchema?: JsonSchema } {
  const cached = BUILT.get(tool);
  if (cached?.defs === defs) return cached.schemas;
  const inputSchema = selfContained(tool.inputSchema, defs);
  const schemas = tool.outputSchema
    ? { inputSchema, outputSchema: selfContained(tool.outputSchema, defs) }
    : { inputSchema };
  BUILT.set(tool, { defs, schemas });
  return schemas;
}

const BUILT = new WeakMap<
  ToolDefinition,
  { defs: Defs; schemas: { inputSchema: JsonSchema; outputSchema?: JsonSchema } }
>();

/** One schema of a tool, self-contained as `toolSchemas` describes. */
function selfContained(schema: JsonSchema, defs: Defs): JsonSchema {
  // A root is read once, so its references are found in its JSON (native, fast); a definition's are walked once per process.
  const text = JSON.stringify(schema);
  const rootRefs: Ref[] = defNamesInJson(text).map((name) => ({ name, replaceable: false }));
  if (rootRefs.length === 0) return schema;
  // In a root, a `$ref` counts as replaceable when its object holds nothing else but string annotations; anything else keeps its definition.
  const pure = new Set([...text.matchAll(PURE_REF)].map((m) => unescapePointerToken(m[1] as string)));
  // A missing definition would make the schema unresolvable; `true` accepts any value instead of failing every call.
  const picked = new Map<string, Schema>();
  const uses = new Map<string, number>();
  const replaceable = new Set<string>();
  const reach = (ref: Ref) => {
    uses.set(ref.name, (uses.get(ref.name) ?? 0) + 1);
    if (ref.replaceable) replaceable.add(ref.name);
    if (picked.has(ref.name)) return;
    const def = defs[ref.name] ?? true;
    picked.set(ref.name, def);
    for (const next of refsIn(def)) reach(next);
  };
  for (const ref of rootRefs) reach({ name: ref.name, replaceable: pure.has(ref.name) });
  const names = [...picked.keys()].sort();
  const inline = new Set(
    names.filter((n) => uses.get(n) === 1 && replaceable.has(n) && movable(picked.get(n) as Schema)),
  );
  const expand = (node: Schema, refs: readonly Ref[]): Schema =>
    refs.some((ref) => inline.has(ref.name))
      ? replaceRefs(node, (name) => {
          if (!inline.has(name)) return undefined;
          const def = picked.get(name) as Schema;
          return expand(def, refsIn(def));
        })
      : node;
  const root = expand(schema, rootRefs) as JsonSchema;
  const kept = names.filter((name) => !inline.has(name));
  if (kept.length === 0) return root;
  const $defs: Record<string, Schema> = {};
  for (const name of kept) {
    const def = picked.get(name) as Schema;
    $defs[name] = expand(def, refsIn(def));
  }
  return { ...root, $defs };
}

/** As JSON: a `$ref` object whose other members are string annotations (`onlyAnnotationsBeside`). */
const ANNOTATION_MEMBER = String.raw`"(?:description|title|\$comment)":"(?:[^"\\]|\\.)*"`;
const PURE_REF = new RegExp(
  String.raw`\{(?:${ANNOTATION_MEMBER},)*"\$ref":"#\/\$defs\/([^"]+)"(?:,${ANNOTATION_MEMBER})*\}`,
  'g',
);

/** One reference to a shared definition, and whether `replaceRefs` may write the definition in its place. */
interface Ref {
  readonly name: string;
  readonly replaceable: boolean;
}

/** The references in a definition, found once per definition object: many tools share them. */
const REFS = new WeakMap<object, readonly Ref[]>();
/** Keywords that refer to a definition; only a plain `$ref` is ever replaced. */
const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'] as const;

function refsIn(node: Schema): readonly Ref[] {
  if (typeof node !== 'object') return [];
  const known = REFS.get(node);
  if (known) return known;
  const found: Ref[] = [];
  walkSchemas(node, (schema) => {
    for (const keyword of REF_KEYWORDS) {
      const name = localDefName(schema[keyword]);
      if (name !== undefined) found.push({ name, replaceable: keyword === '$ref' && onlyAnnotationsBeside(schema) });
    }
  });
  REFS.set(node, found);
  return found;
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
/**
 * Meta-Data vocabulary (2020-12 Validation §9, less `default`) and `$comment` (Core §8.3):
 * annotations, never assertions. Shared with the generator, which trims them from output schemas.
 */
export const ANNOTATION_KEYWORDS: readonly string[] = [
  'description',
  'title',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
];
/** Beside a `$ref` these describe the use, they assert nothing (`default` too). */
const ANNOTATIONS = new Set([...ANNOTATION_KEYWORDS, 'default']);

const MOVABLE = new WeakMap<object, boolean>();

function movable(def: Schema): boolean {
  if (typeof def !== 'object') return false;
  let known = MOVABLE.get(def);
  if (known === undefined) MOVABLE.set(def, (known = !SCOPED.test(JSON.stringify(def))));
  return known;
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
    if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      for (const sub of Object.values(value)) walkSchemas(sub, visit);
    } else walkSchemas(value, visit);
  }
}

/**
 * `node` with each `{ "$ref": "#/$defs/X" }` that `replacement` answers for
 * replaced by that schema; parts with nothing replaced are shared, not
 * copied. Only a `$ref` alone (or beside annotations) is replaced: a sibling
 * assertion such as `additionalProperties` would read a merged object
 * differently (2020-12 Core §7.7.1.1).
 */
function replaceRefs(node: Schema, replacement: (name: string) => Schema | undefined): Schema {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const items = value.map(visit);
      return items.every((item, i) => item === value[i]) ? value : items;
    }
    if (typeof value !== 'object' || value === null) return value;
    const schema = value as JsonSchema;
    const name = localDefName(schema.$ref);
    if (name !== undefined && onlyAnnotationsBeside(schema)) {
      const target = replacement(name);
      if (target !== undefined) {
        const { $ref: _ref, ...siblings } = schema;
        return typeof target === 'boolean' || Object.keys(siblings).length === 0 ? target : { ...target, ...siblings };
      }
    }
    let out: Record<string, unknown> | undefined;
    for (const [key, v] of Object.entries(schema)) {
      const next = DATA_KEYWORDS.has(key) ? v : SCHEMA_MAPS.has(key) && isRecord(v) ? visitMap(v) : visit(v);
      if (next !== v) (out ??= { ...schema })[key] = next;
    }
    return out ?? schema;
  };
  const visitMap = (map: Record<string, unknown>): Record<string, unknown> => {
    let out: Record<string, unknown> | undefined;
    for (const [k, s] of Object.entries(map)) {
      const next = visit(s);
      if (next !== s) (out ??= { ...map })[k] = next;
    }
    return out ?? map;
  };
  return visit(node) as Schema;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
