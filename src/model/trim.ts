import type { JsonSchema, ToolAnnotations } from '../../templates/runtime/mcp/types.js';
import { localDefName, reachableDefNames } from '../../templates/runtime/mcp/local-defs.js';
import { withoutDocLinks } from './doc-links.js';
import { isObject } from './json-schema.js';
import { mapSchema } from './schema-walk.js';
import { ANNOTATION_KEYWORDS } from '../../templates/runtime/mcp/tool-schemas.js';

/**
 * What costs tokens in `tools/list` and carries nothing, removed in the
 * model so static and dynamic mode, the generated tables and the tests all
 * see the same trimmed data. Deterministic: pure functions of their input.
 *
 * Already dropped while converting schemas (json-schema.ts): `example`,
 * `examples`, `x-*`, `xml`, `externalDocs`. Kept everywhere: every keyword
 * a validator uses (type, enum, const, format, pattern, bounds, required,
 * additionalProperties...) and `default`.
 */

/**
 * JSON Schema 2020-12 Meta-Data vocabulary (§9) and `$comment` (Core §8.3):
 * annotations, never assertions. Output schemas exist so that a client can
 * check `structuredContent` (MCP 2025-11-25 "Output Schema"); hosts give a
 * model the tool's name, description and input schema, not its output
 * schema, so annotations there are read by no one.
 */
const OUTPUT_ANNOTATIONS = new Set(ANNOTATION_KEYWORDS);

/** An output schema without annotation keywords, at every depth. Property names are kept, whatever they are called. */
export function trimOutputSchema<T extends JsonSchema | boolean>(schema: T): T {
  return mapSchema(schema, (key, value) => (OUTPUT_ANNOTATIONS.has(key) ? undefined : value));
}

/**
 * An input schema (or a definition) whose descriptions read as a model reads
 * them: Markdown link targets and documentation-pointer sentences out
 * (doc-links.ts). Every word a model needs to fill an argument stays.
 */
export function trimSchemaText<T extends JsonSchema | boolean>(schema: T): T {
  return mapSchema(schema, (key, value) => {
    if (key !== 'description' || typeof value !== 'string') return value;
    // A description that was only a pointer to documentation is gone, key and all.
    return withoutDocLinks(value) || undefined;
  });
}

/**
 * The shared `$defs` table with every definition that only output schemas
 * reach trimmed by `trimOutputSchema`. A definition some input schema
 * reaches keeps its descriptions: the model reads those to fill arguments.
 */
export function trimOutputOnlyDefs(
  defs: Readonly<Record<string, JsonSchema | boolean>>,
  inputSchemas: readonly JsonSchema[],
): Record<string, JsonSchema | boolean> {
  const forInput = reachableDefNames(inputSchemas, defs);
  const out: Record<string, JsonSchema | boolean> = {};
  for (const [name, def] of Object.entries(defs)) out[name] = forInput.has(name) ? def : trimOutputSchema(def);
  return out;
}

/**
 * The tool's description as a model reads it. Hosts show a model the
 * description, not always the title, so the one-line summary leads it; a
 * description that already opens with the summary does not get it twice.
 * Link targets and documentation pointers go (doc-links.ts).
 */
export function toolDescription(rawSummary: string, rawDescription: string): string {
  const summary = withoutDocLinks(rawSummary);
  const description = withoutDocLinks(rawDescription);
  if (description === '') return summary;
  if (summary === '') return description;
  const normalize = (s: string) =>
    s
      .toLowerCase()
      .replace(/[\s.:!]+$/u, '')
      .trim();
  const first = description.split(/\n/)[0] ?? '';
  if (normalize(first) === normalize(summary)) return description;
  return `${summary}\n\n${description}`;
}

/**
 * ToolAnnotations (MCP 2025-11-25) without what repeats or restates a
 * default in a way every reader agrees on: `title` repeats `Tool.title`;
 * `readOnlyHint: false` and `idempotentHint: false` are the defaults and
 * read the same when absent. `destructiveHint` (default true) and
 * `openWorldHint` (default true) stay explicit here: a client that reads an
 * absent hint as false would take a DELETE for harmless. (`tools/list`
 * leaves out `openWorldHint: true`, which every tool has: listed-tool.ts.)
 */
export function trimAnnotations(annotations: ToolAnnotations): ToolAnnotations {
  const { title: _title, readOnlyHint, idempotentHint, ...rest } = annotations;
  return { ...(readOnlyHint ? { readOnlyHint } : {}), ...rest, ...(idempotentHint ? { idempotentHint } : {}) };
}

/**
 * A parameter's description beside its schema: dropped when the schema
 * (or the definition it refers to) already says the same.
 */
export function parameterDescription(
  description: string,
  schema: JsonSchema,
  defs: (name: string) => JsonSchema | boolean | undefined,
): string | undefined {
  if (description === '') return undefined;
  const same = (other: unknown) => typeof other === 'string' && other.trim() === description;
  if (same(schema.description)) return undefined;
  const ref = localDefName(schema.$ref);
  const target = ref === undefined ? undefined : defs(ref);
  if (isObject(target) && same(target.description)) return undefined;
  return description;
}
