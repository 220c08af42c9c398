/**
 * The compact JSON text of a value the runtime parsed from an upstream body
 * and serialized once already (shape-response.ts: the text content of a JSON
 * result is `JSON.stringify` of its `structuredContent`). Whoever serializes
 * that same, unmodified object again (the HTTP fast lane's answer) may reuse
 * the text instead: for a large body that is most of the answer's CPU.
 *
 * The text is tied to the very object it was made from, in a WeakMap: every
 * result holding that object (the copies made on the way to the answer) finds
 * it, a copy of the object (redaction, the 2025 codec's wrapping) does not and
 * is serialized as usual, and nothing is added to the results themselves
 * (invisible to JSON, spreads and comparisons; a property per result cost two
 * `defineProperty` per call). Nothing in the runtime modifies a parsed body in
 * place (the output validator does not: no defaults, no coercion).
 */
const texts = new WeakMap<object, string>();

/** Remembers `json`, which must be `JSON.stringify(of)`, for the object `of` (a result's `structuredContent`). */
export function attachJson(of: object, json: string): void {
  texts.set(of, json);
}

/** `JSON.stringify(structured)` when it was remembered for that very object, else `undefined`. */
export function attachedJson(structured: unknown): string | undefined {
  return typeof structured === 'object' && structured !== null ? texts.get(structured) : undefined;
}
