/**
 * Thrown where a document leaves the shapes `dereferenceIgnoringCycles` reproduces exactly: the
 * caller then validates with swagger-parser's own dereference, on a fresh copy.
 */
export class UnsupportedDereference extends Error {}

/**
 * json-schema-ref-parser stops at a depth of 500; deeper than this the caller takes its own code,
 * so that any depth error is exactly its own.
 */
const SAFE_DEPTH = 400;

/** Characters that `new URL` would encode, drop or decode differently in a `$ref`'s fragment. */
const UNSAFE_REF = /[%#\\\s\u0000-\u001f\u007f]/u;

interface Result {
  readonly circular: boolean;
  readonly value: unknown;
}

type Ref = { $ref: string; [key: string]: unknown };

/**
 * The first pass of `SwaggerParser.validate`: json-schema-ref-parser 15.3.6's dereference with
 * `circular: "ignore"` (see its lib/dereference.js), done in place on a document whose every
 * `$ref` is local, with the same result: every `$ref` replaced by its target, except those whose
 * target reaches back to an object being dereferenced (they stay `$ref`s), and the same
 * `circular` flag. Returns that flag.
 *
 * Why not its code: in "ignore" mode it crawls an object again each time a path reaches it (the
 * targets are shared), building a path string per key; on GitHub's spec that took 1.0 s of the
 * worker's 2.5 s (issue 8). Here an object whose crawl found no cycle is crawled once: a second
 * crawl could change nothing (its subtree holds no `$ref` any more and no cycle) and find no
 * cycle, so only its height is kept, for the depth limit.
 *
 * Throws `UnsupportedDereference` (the document may then be half changed) for what that code
 * resolves in ways not reproduced here: `$id`s (3.1 scopes), `$ref`s met while resolving a
 * pointer, pointers that miss or end on a falsy value, fragments with `%`, and deep nesting.
 */
export function dereferenceIgnoringCycles(root: Record<string, unknown>): boolean {
  const cache = new Map<string, Result>();
  const parents = new Set<object>();
  /** Objects crawled without a cycle below, with their height. */
  const settled = new Map<object, number>();

  const crawl = (obj: unknown, depth: number): boolean => {
    if (depth > SAFE_DEPTH) throw new UnsupportedDereference('deep');
    if (obj === null || typeof obj !== 'object') return false;
    const height = settled.get(obj);
    if (height !== undefined) {
      if (depth + height > SAFE_DEPTH) throw new UnsupportedDereference('deep');
      return false;
    }
    const record = obj as Record<string, unknown>;
    if (isAllowedRef(record) || hasId(record)) throw new UnsupportedDereference('$ref or $id');
    parents.add(obj);
    let circular = false;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (isAllowedRef(value)) {
        const dereferenced = dereferenceRef(value, depth);
        if (record[key] !== dereferenced.value) record[key] = dereferenced.value;
        circular = circular || dereferenced.circular;
      } else if (!parents.has(value as object)) {
        const found = crawl(value, depth + 1);
        circular = circular || found;
      } else {
        circular = true;
      }
    }
    parents.delete(obj);
    if (!circular) {
      // What a second crawl would walk: every child one level down (a primitive is a leaf).
      let max = 0;
      for (const key of Object.keys(record)) max = Math.max(max, 1 + (settled.get(record[key] as object) ?? 0));
      settled.set(obj, max);
    }
    return circular;
  };

  const dereferenceRef = (ref: Ref, depth: number): Result => {
    if (UNSAFE_REF.test(ref.$ref.slice(1))) throw new UnsupportedDereference('unusual $ref');
    const extended = Object.keys(ref).length > 1;
    // Keyed like json-schema-ref-parser (the resolved URL): for these fragments, the $ref itself.
    const cached = cache.get(ref.$ref);
    if (cached) {
      // A cached cycle is the first `$ref` object of that text, left in place, siblings or not.
      if (cached.circular || !extended) return cached;
      const siblings: Record<string, unknown> = {};
      for (const key of Object.keys(ref))
        if (key !== '$ref' && !(key in (cached.value as object))) siblings[key] = ref[key];
      return { circular: false, value: Object.assign({}, cached.value, siblings) };
    }
    const target = resolvePointer(root, ref.$ref);
    let circular = parents.has(target as object);
    const value = extended ? merged(ref, target) : target;
    if (!circular) circular = crawl(value, depth + 1);
    const result: Result = { circular, value: circular ? ref : value };
    // Only a bare `$ref` is cached (json-schema-ref-parser: "only cache if no extra properties").
    if (!extended) cache.set(ref.$ref, result);
    return result;
  };

  return crawl(root, 0);
}

/** `#` or `#/...` with a string: what json-schema-ref-parser dereferences without external resolution. */
function isAllowedRef(value: unknown): value is Ref {
  if (value === null || typeof value !== 'object' || !('$ref' in value)) return false;
  const ref = value.$ref;
  return typeof ref === 'string' && (ref === '#' || ref.startsWith('#/'));
}

/** A schema resource id changes how json-schema-ref-parser resolves `$ref`s below it (3.1). */
function hasId(record: Record<string, unknown>): boolean {
  return '$id' in record;
}

/** The RFC 6901 pointer of a local `$ref`, walked over own properties that are not `$ref`s. */
function resolvePointer(root: Record<string, unknown>, ref: string): unknown {
  const tokens =
    ref === '#'
      ? []
      : ref
          .slice(2)
          .split('/')
          .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  let value: unknown = root;
  for (const token of tokens) {
    if (value === null || typeof value !== 'object' || isAllowedRef(value) || !Object.hasOwn(value, token))
      throw new UnsupportedDereference('pointer');
    value = (value as Record<string, unknown>)[token];
  }
  // A falsy target or one that is itself a `$ref` takes json-schema-ref-parser's other branches.
  if (!value || (typeof value === 'object' && '$ref' in value && value.$ref))
    throw new UnsupportedDereference('target');
  return value;
}

/**
 * A `$ref` with sibling keys and its target, as json-schema-ref-parser's `$Ref.dereference`
 * merges them (`mergeKeys`, its default): the siblings first, then the target's other keys;
 * where both hold objects, the target's deep-merged with the sibling's.
 */
function merged(ref: Ref, target: unknown): unknown {
  if (typeof target !== 'object' || target === null) return target;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ref)) if (key !== '$ref') out[key] = ref[key];
  const resolved = target as Record<string, unknown>;
  for (const key of Object.keys(resolved)) {
    if (!(key in out)) out[key] = resolved[key];
    else if (isObject(out[key]) && isObject(resolved[key])) out[key] = deepMerge(resolved[key], out[key]);
  }
  return out;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** json-schema-ref-parser's deepMerge (lib/ref.js): `source` wins, arrays are replaced by a copy. */
function deepMerge(target: unknown, source: unknown): unknown {
  if (!isObject(target) || !isObject(source)) return source;
  const output: Record<string, unknown> = Array.isArray(target)
    ? ([...(target as unknown[])] as unknown as Record<string, unknown>)
    : { ...(target as Record<string, unknown>) };
  const from = source as Record<string, unknown>;
  for (const key of Object.keys(from)) {
    const value = from[key];
    if (Array.isArray(value)) output[key] = [...(value as unknown[])];
    else if (isObject(value)) output[key] = deepMerge((target as Record<string, unknown>)[key], value);
    else output[key] = value;
  }
  return output;
}
