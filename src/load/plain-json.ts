/**
 * A deep copy that is plain JSON data: no shared objects (the bundler may
 * reuse one object in two places), no `undefined`, no prototypes. Throws a
 * `TypeError` on a cycle, which bundled output must not have.
 */
export function toPlainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
