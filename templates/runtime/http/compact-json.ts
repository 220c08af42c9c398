/**
 * The compact JSON text of a value the runtime parsed from an upstream body
 * and serialized once already (shape-response.ts: the text content of a JSON
 * result is `JSON.stringify` of its `structuredContent`). Whoever serializes
 * that same, unmodified object again (the HTTP fast lane's answer) may reuse
 * the text instead: for a large body that is most of the answer's CPU.
 *
 * The text travels on the result, tied to the very object it was made from:
 * it is used only while the result's `structuredContent` is still that object
 * (a copy, by redaction or the 2025 codec's wrapping, is serialized as usual).
 * Nothing in the runtime modifies a parsed body in place (the output
 * validator does not: no defaults, no coercion). The property is a
 * non-enumerable symbol: invisible to JSON, spreads and comparisons.
 */
const TEXT = Symbol('compact JSON of structuredContent');

interface Carrier {
  [TEXT]?: { readonly of: object; readonly json: string };
}

/** Attaches `json`, which must be `JSON.stringify(of)`, to `result` (whose `structuredContent` is `of`). */
export function attachJson(result: object, of: object, json: string): void {
  Object.defineProperty(result, TEXT, { value: { of, json }, writable: true });
}

/** The JSON attached to `from`, attached to `to` as well (a copy of the result holding the same object). */
export function carryJson(from: object, to: object): void {
  const text = (from as Carrier)[TEXT];
  if (text !== undefined) Object.defineProperty(to, TEXT, { value: text, writable: true });
}

/** `JSON.stringify(structured)` when `result` carries it for that very object, else `undefined`. */
export function attachedJson(result: object, structured: unknown): string | undefined {
  const text = (result as Carrier)[TEXT];
  return text !== undefined && text.of === structured ? text.json : undefined;
}
