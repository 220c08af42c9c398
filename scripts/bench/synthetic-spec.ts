/** The HTTP methods an OpenAPI Path Item may hold (OpenAPI 3.1 §4.8.9). */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The operations of a document's `paths` (path-item `$ref`s are not followed). */
export function countOperations(document: Json): number {
  const paths = isObject(document.paths) ? document.paths : {};
  let count = 0;
  for (const item of Object.values(paths)) {
    if (isObject(item)) for (const method of METHODS) if (isObject(item[method])) count++;
  }
  return count;
}

/**
 * A document of exactly `operations` operations made from `source`'s paths:
 * copy k (from 1) puts every path under `/copy-k` and suffixes every
 * `operationId` with `-k`, as many copies as it takes, the last one cut at
 * the operation that reaches the count. `components` and everything else at
 * the top level are shared, not copied, so the `$ref` graph grows with the
 * paths only, like a real API that grows. Pure: `source` is not modified
 * (the copies share its nested objects, which serialising duplicates).
 */
export function syntheticSpec(source: Json, operations: number): Json {
  if (!Number.isInteger(operations) || operations < 1) {
    throw new RangeError(`syntheticSpec: operations must be a positive whole number (got ${operations})`);
  }
  const available = countOperations(source);
  if (available === 0) throw new Error('syntheticSpec: the source document has no operations to copy');
  const sourcePaths = source.paths as Json;
  const paths: Json = {};
  let made = 0;
  for (let copy = 1; made < operations; copy++) {
    for (const [path, item] of Object.entries(sourcePaths)) {
      if (made >= operations) break;
      if (!isObject(item)) continue;
      const copied: Json = {};
      for (const [key, value] of Object.entries(item)) {
        if (!(METHODS as readonly string[]).includes(key)) copied[key] = value;
      }
      for (const method of METHODS) {
        const operation = item[method];
        if (!isObject(operation) || made >= operations) continue;
        copied[method] =
          typeof operation.operationId === 'string'
            ? { ...operation, operationId: `${operation.operationId}-${copy}` }
            : operation;
        made++;
      }
      paths[`/copy-${copy}${path}`] = copied;
    }
  }
  const info = isObject(source.info) ? source.info : {};
  return {
    ...source,
    info: { ...info, title: `${String(info.title ?? 'API')} (synthetic, ${operations} operations)` },
    paths,
  };
}
