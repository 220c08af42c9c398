/**
 * The value of a JSON text, or `undefined` when it does not parse (no JSON text parses to
 * `undefined`). For files that may hold anything (a lock file, an edited `package.json`, our
 * own build's table, text that may or may not be JSON): the caller checks the shape next.
 */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
