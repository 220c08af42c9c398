import type { JsonSchema } from '../../templates/runtime/mcp/types.js';

/**
 * Where a JSON Schema 2020-12 object holds subschemas (Core §10, plus the
 * draft-04..2019-09 spellings OpenAPI documents still use): the one table
 * the generator's schema walkers read, so a keyword added here is walked
 * everywhere. Values of other keywords (`const`, `enum`, `default`,
 * `examples`, `required`...) are data, even when they look like schemas.
 */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_VALUES = new Set([
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'additionalItems',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** The three tables as one lookup: most keywords hold no subschema, and they are asked about per keyword of every schema. */
const SUBSCHEMA_SHAPE = new Map<string, 'map' | 'value' | 'list'>([
  ...[...SCHEMA_MAPS].map((key) => [key, 'map'] as const),
  ...[...SCHEMA_VALUES].map((key) => [key, 'value'] as const),
  ...[...SCHEMA_LISTS].map((key) => [key, 'list'] as const),
]);

/** Marks a keyword whose value holds no subschema: the caller keeps (or transforms) the value itself. */
export const NOT_SUBSCHEMAS: unique symbol = Symbol('not subschemas');

/**
 * The value of keyword `key` with `fn` applied to each subschema it holds:
 * each member of a name -> schema map, each element of a schema list, the
 * value of a single-schema keyword (`items` may also be a draft-04 list).
 * `NOT_SUBSCHEMAS` when the keyword holds none, or holds a value of the
 * wrong shape (a `properties` that is not an object).
 */
export function mapSubschemas(
  key: string,
  value: unknown,
  fn: (schema: unknown) => unknown,
): unknown | typeof NOT_SUBSCHEMAS {
  const shape = SUBSCHEMA_SHAPE.get(key);
  if (shape === undefined) return NOT_SUBSCHEMAS;
  if (shape === 'map') {
    if (!isRecord(value)) return NOT_SUBSCHEMAS;
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(value)) out[name] = fn(value[name]);
    return out;
  }
  if (shape === 'value') return key === 'items' && Array.isArray(value) ? value.map(fn) : fn(value);
  return Array.isArray(value) ? value.map(fn) : NOT_SUBSCHEMAS;
}

/**
 * A copy of a schema with `visit` applied to every keyword of every schema
 * object in it, subschemas found through {@link mapSubschemas} (so a
 * property called "description" is data); a keyword `visit` maps to
 * `undefined` is dropped.
 */
export function mapSchema<T extends JsonSchema | boolean>(
  schema: T,
  visit: (key: string, value: unknown) => unknown,
): T {
  if (typeof schema === 'boolean' || !isRecord(schema)) return schema;
  const sub = (v: unknown) => mapSchema(v as JsonSchema | boolean, visit);
  const out: Record<string, unknown> = {};
  const record = schema as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = visit(key, record[key]);
    if (value === undefined) continue;
    const mapped = mapSubschemas(key, value, sub);
    out[key] = mapped === NOT_SUBSCHEMAS ? value : mapped;
  }
  return out as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
