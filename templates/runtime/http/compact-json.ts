/**
 * The compact JSON text of a value the runtime parsed from an upstream body
 * and serialized once already (shape-response.ts: the text content of a JSON
 * result is `JSON.stringify` of its `structuredContent`). Whoever serializes
 * that same, unmodified object again (the HTTP fast lane's answer) may reuse
 * the text instead: for a large body that is most of the answer's CPU. Only
 * the object itself is a key: a copy (redaction, the 2025 codec's wrapping)
 * is not found and is serialized as usual. Nothing in the runtime modifies a
 * parsed body in place (the output validator does not: no defaults, no coercion).
 */
const texts = new WeakMap<object, string>();

/** Records `json` as `JSON.stringify(value)`; call only with that very text. */
export function rememberJson(value: object, json: string): void {
  texts.set(value, json);
}

/** `JSON.stringify(value)` as recorded by {@link rememberJson}, or `undefined`. */
export function rememberedJson(value: object): string | undefined {
  return texts.get(value);
}
