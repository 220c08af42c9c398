import type { BodyBinding } from '../mcp/types.js';
import { decodeBase64, isFilePart } from './file-part.js';
import { UpstreamError } from './upstream-error.js';

/** A request body ready for `fetch`. */
export interface EncodedBody {
  readonly body: BodyInit | undefined;
  /** `undefined` for multipart, so that `fetch` writes the boundary itself. */
  readonly contentType?: string;
}

const MAX_DEPTH = 32;

/**
 * Encodes the body argument per the binding's encoding:
 * - `json`: `JSON.stringify` of the value, sent as the binding's media type.
 * - `text`: a string (numbers and booleans are stringified); objects are rejected.
 * - `binary`: the argument is a base64 string; its bytes are sent as is.
 * - `form` (`application/x-www-form-urlencoded`): the top-level properties
 *   use OpenAPI `form` style with `explode: true` (arrays repeat the key);
 *   nested objects use deepObject-like brackets (`a[b]=c`), as OpenAPI leaves
 *   them undefined; serialized by WHATWG `URLSearchParams` (space as `+`).
 * - `multipart`: one part per property, arrays as repeated parts (§4.8.14.4);
 *   a {@link FilePart} becomes a file part; other objects a JSON text field;
 *   primitives a text field.
 *
 * A `null`/`undefined` body is omitted unless required.
 * Not done: per-property `encoding` objects (§4.8.15) and custom part headers.
 * @throws {UpstreamError} `missing_body`, `invalid_body`.
 * @see https://spec.openapis.org/oas/v3.1.0#special-considerations-for-multipart-content
 * @see https://spec.openapis.org/oas/v3.1.0#support-for-x-www-form-urlencoded-request-bodies
 */
export function encodeBody(binding: BodyBinding, value: unknown): EncodedBody {
  if (value === undefined || value === null) {
    if (binding.required) throw new UpstreamError('missing_body', `the request body "${binding.argument}" is required`);
    return { body: undefined };
  }
  switch (binding.encoding) {
    case 'json':
      return { body: JSON.stringify(value), contentType: binding.mediaType };
    case 'text':
      if (typeof value === 'object') throw new UpstreamError('invalid_body', 'a text body must be a string');
      return { body: String(value), contentType: binding.mediaType };
    case 'binary':
      if (typeof value !== 'string') throw new UpstreamError('invalid_body', 'a binary body must be a base64 string');
      return { body: decodeBase64(value, 'the binary body'), contentType: concreteMediaType(binding.mediaType) };
    case 'form':
      return { body: encodeForm(asRecord(value)), contentType: binding.mediaType };
    case 'multipart':
      return { body: encodeMultipart(asRecord(value)) };
  }
}

/** `application/*` or `*\/*` in a document is a range, not a type to send. */
function concreteMediaType(mediaType: string): string {
  return mediaType.includes('*') ? 'application/octet-stream' : mediaType;
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpstreamError('invalid_body', 'a form or multipart body must be an object');
  }
  return value as Record<string, unknown>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function encodeForm(value: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  const add = (key: string, v: unknown, depth: number): void => {
    if (v === undefined || v === null) return;
    if (depth > MAX_DEPTH) throw new UpstreamError('invalid_body', 'the form body is nested too deeply');
    if (Array.isArray(v)) {
      for (const item of v) add(key, item, depth + 1);
    } else if (typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) add(`${key}[${k}]`, inner, depth + 1);
    } else {
      params.append(key, text(v));
    }
  };
  for (const [k, v] of Object.entries(value)) add(k, v, 0);
  return params;
}

function encodeMultipart(value: Record<string, unknown>): FormData {
  const form = new FormData();
  const add = (name: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    if (isFilePart(v)) {
      const bytes = decodeBase64(v.content, `the file "${name}"`);
      const blob = new Blob([bytes], { type: v.contentType ?? 'application/octet-stream' });
      form.append(name, blob, v.filename ?? name);
    } else {
      form.append(name, text(v));
    }
  };
  for (const [name, v] of Object.entries(value)) {
    if (Array.isArray(v)) for (const item of v) add(name, item);
    else add(name, v);
  }
  return form;
}
