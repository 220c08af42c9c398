import type { JsonSchema } from '../../templates/runtime/mcp/types.js';
import { mapSubschemas, NOT_SUBSCHEMAS } from './schema-walk.js';

/**
 * OpenAPI Schema Object -> JSON Schema 2020-12, the dialect MCP tool schemas
 * use (MCP 2025-11-25 "Tool": inputSchema defaults to 2020-12).
 *
 * Why not `@openapi-contrib/openapi-schema-to-json-schema`: it targets draft-04
 * (boolean `exclusiveMinimum`, `$schema: draft-04`) and keeps `x-*` keys, while
 * the SDK validates with Ajv 2020; the rewrite we need (nullable, exclusive
 * bounds, local `$ref` -> `$defs`) is small and must also rename refs.
 *
 * Not done here: resolving `$ref`s. Each `$ref` is handed to `refName`, which
 * returns the `$defs` name the schema will be stored under.
 */
export interface ConvertContext {
  readonly dialect: '3.0' | '3.1';
  /** Maps a local `$ref` (`#/components/schemas/Pet`) to its `$defs` name and records the use. */
  readonly refName: (ref: string) => string;
  /** The local ref of the component being converted: the target of a draft 2019-09 `$recursiveRef: "#"` inside it. */
  readonly recursiveRoot?: string;
}

/** OpenAPI-only or token-costly keywords that carry nothing a validator or a model needs. */
const DROPPED_KEYWORDS = new Set(['xml', 'externalDocs', 'example', 'examples', 'nullable', '$schema', '$id']);

export function convertSchema(schema: unknown, ctx: ConvertContext): JsonSchema | boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === 'string' && ctx.dialect === '3.0') return convertRef30(schema, ctx);

  const out: Record<string, unknown> = {};
  // 3.1 (JSON Schema 2020-12 §8.2.3.1): a `$ref` applies beside its siblings; keep them all.
  if (typeof schema.$ref === 'string') out.$ref = `#/$defs/${ctx.refName(schema.$ref)}`;
  for (const key of Object.keys(schema)) {
    const value = schema[key];
    if (key === '$ref' || key.startsWith('x-') || DROPPED_KEYWORDS.has(key) || key === '$recursiveAnchor') continue;
    if (key === '$recursiveRef') {
      // Draft 2019-09 §8.2.4.2 (openai-api): with each component under `$defs`, `#` would name the tool's
      // root, so the ref points at the component that declared `$recursiveAnchor`; elsewhere it is dropped.
      if (value === '#' && ctx.recursiveRoot !== undefined) out.$ref = `#/$defs/${ctx.refName(ctx.recursiveRoot)}`;
      continue;
    }
    const subschemas = mapSubschemas(key, value, (v) => convertSchema(v, ctx));
    if (subschemas !== NOT_SUBSCHEMAS) {
      out[key] = subschemas;
    } else if (key === 'discriminator' && isObject(value)) {
      out[key] = convertDiscriminator(value, ctx);
    } else if (key === 'type' && value === 'file') {
      // Swagger 2.0 `type: file` survives some conversions: it is binary content.
      out.type = 'string';
      out.format = 'binary';
    } else {
      out[key] = value;
    }
  }
  fixExclusiveBounds(schema, out);
  // An empty `enum` admits no value at all (discord-api); it is a spec slip, and Ajv refuses to compile it.
  if (Array.isArray(out.enum) && out.enum.length === 0) delete out.enum;
  if (ctx.dialect === '3.0') fixNullable30(schema, out);
  return out;
}

/** OpenAPI 3.0.3 "Reference Object": properties beside a `$ref` "SHALL be ignored"; `nullable` is honoured as the one common exception. */
function convertRef30(schema: Record<string, unknown>, ctx: ConvertContext): JsonSchema {
  const ref = `#/$defs/${ctx.refName(schema.$ref as string)}`;
  return schema.nullable === true ? { anyOf: [{ $ref: ref }, { type: 'null' }] } : { $ref: ref };
}

function convertDiscriminator(value: Record<string, unknown>, ctx: ConvertContext): Record<string, unknown> {
  const out: Record<string, unknown> = { propertyName: value.propertyName };
  if (isObject(value.mapping)) {
    out.mapping = mapValues(value.mapping, (target) =>
      typeof target === 'string' && target.startsWith('#') ? `#/$defs/${ctx.refName(target)}` : target,
    );
  }
  return out;
}

/**
 * Boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-04 style, OpenAPI 3.0 §4.7.24) become the
 * numeric 2020-12 form. Applied to 3.1 documents too: some (openai-api) still write the 3.0 form.
 */
const BOUNDS = [
  ['minimum', 'exclusiveMinimum'],
  ['maximum', 'exclusiveMaximum'],
] as const;

function fixExclusiveBounds(source: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const [bound, exclusive] of BOUNDS) {
    if (typeof source[exclusive] === 'boolean') {
      delete out[exclusive];
      if (source[exclusive] === true && typeof source[bound] === 'number') {
        out[exclusive] = source[bound];
        delete out[bound];
      }
    }
  }
}

/** OpenAPI 3.0 §4.7.24 `nullable`: JSON Schema says it with a `null` type. */
function fixNullable30(source: Record<string, unknown>, out: Record<string, unknown>): void {
  if (source.nullable !== true) return;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  } else if (Array.isArray(out.type) && !out.type.includes('null')) {
    out.type = [...out.type, 'null'];
  } else if (out.type === undefined) {
    // nullable without a type (e.g. on an allOf): allow null beside whatever the schema says.
    const inner = { ...out };
    for (const key of Object.keys(out)) delete out[key];
    for (const key of ['title', 'description', 'default', 'readOnly', 'writeOnly', 'deprecated']) {
      if (inner[key] !== undefined) {
        out[key] = inner[key];
        delete inner[key];
      }
    }
    out.anyOf = [inner, { type: 'null' }];
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapValues(value: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fn(v);
  return out;
}
