import type { JsonSchema } from './types.js';

/**
 * References to the shared definition table, `{ "$ref": "#/$defs/<name>" }`:
 * a URI fragment holding a JSON pointer (RFC 6901 §6) into `$defs`
 * (JSON Schema 2020-12 §8.2.4). The generator writes them and the runtime
 * resolves them; both read them through this module.
 */
const PREFIX = '#/$defs/';

/**
 * A reference to a shared definition as it appears in JSON text. Matching
 * the text finds references also inside data (`const`, `examples`): counting
 * one too many only keeps a definition, never drops one.
 */
const DEFS_REF_IN_JSON = /"#\/\$defs\/([^"]+)"/g;

/** The definition a `$ref` value names, when it is local to `$defs`; the name unescaped per RFC 6901 §4. */
export function localDefName(ref: unknown): string | undefined {
  return typeof ref === 'string' && ref.startsWith(PREFIX) ? unescapePointerToken(ref.slice(PREFIX.length)) : undefined;
}

/** The definitions the JSON text of a schema refers to, in order of appearance (repeats kept). */
export function defNamesInJson(text: string): string[] {
  return [...text.matchAll(DEFS_REF_IN_JSON)].map((m) => unescapePointerToken(m[1] as string));
}

/**
 * Every definition the schemas reach, directly or through other
 * definitions (references to missing definitions included: they are named,
 * there is just nothing to follow).
 */
export function reachableDefNames(
  schemas: readonly (JsonSchema | boolean)[],
  defs: Readonly<Record<string, JsonSchema | boolean>>,
): Set<string> {
  const seen = new Set<string>();
  const queue: unknown[] = [...schemas];
  while (queue.length > 0) {
    for (const name of defNamesInJson(JSON.stringify(queue.pop()))) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (defs[name] !== undefined) queue.push(defs[name]);
    }
  }
  return seen;
}

/** RFC 6901 §4: `~1` is `/`, then `~0` is `~` (in that order, so `~01` stays `~1`). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
