import { fragmentTokens } from '../json-pointer.js';
import { isObject } from './json-schema.js';

/**
 * Local JSON-pointer references (RFC 6901 in a URI fragment, RFC 3986 §3.5).
 * The loaded document is bundled, so every `$ref` is local (`#/...`).
 */
export function decodePointer(ref: string): readonly string[] {
  let tokens = decoded.get(ref);
  if (tokens === undefined) {
    if (decoded.size >= MAX_DECODED) decoded.clear();
    tokens = Object.freeze(fragmentTokens(ref.startsWith('#') ? ref.slice(1) : ref));
    decoded.set(ref, tokens);
  }
  return tokens;
}

/**
 * The tokens of each pointer met, decoded once: a document names the same targets over and over
 * (each shared parameter, response and schema from every operation that uses it). Bounded, so a
 * hostile document with millions of distinct pointers cannot grow it without end.
 */
const decoded = new Map<string, readonly string[]>();
const MAX_DECODED = 100_000;

export function getAtPointer(document: unknown, ref: string): unknown {
  let node: unknown = document;
  for (const token of decodePointer(ref)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
  }
  return node;
}

/**
 * Follows a chain of `$ref`s on a non-schema object (parameter, request body,
 * response, path item) to the object itself. Returns the object and the
 * pointer it was found at. A cycle or a dangling ref yields `undefined`.
 */
export function resolveObject(
  document: unknown,
  value: unknown,
  pointer: string,
): { value: Record<string, unknown>; pointer: string } | undefined {
  const seen = new Set<string>();
  let current = value;
  let at = pointer;
  while (isObject(current) && typeof current.$ref === 'string') {
    if (seen.has(current.$ref)) return undefined;
    seen.add(current.$ref);
    at = current.$ref.slice(1);
    current = getAtPointer(document, current.$ref);
  }
  return isObject(current) ? { value: current, pointer: at } : undefined;
}
