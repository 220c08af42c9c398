import type { HttpBinding, ParameterBinding, ParameterStyle } from '../mcp/types.js';
import {
  assertNoControlBreaks,
  encodeCookieComponent,
  encodeQueryComponent,
  encodeUnreserved,
} from './percent-encode.js';
import { UpstreamError } from './upstream-error.js';

/** The non-body parts of one upstream request, already encoded for the wire. */
export interface SerializedParameters {
  /** The path template with every variable substituted and percent-encoded; starts with `/`. */
  readonly path: string;
  /** `name=value` pairs joined by `&`, without the leading `?`; `''` when there are none. */
  readonly query: string;
  readonly headers: Record<string, string>;
  /** A `Cookie` header value (`a=1; b=2`), `''` when there are none. */
  readonly cookies: string;
}

/** A value reduced to the three shapes the OpenAPI style table knows. */
type Shape =
  | { readonly kind: 'empty' }
  | { readonly kind: 'primitive'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly string[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, string])[] };

/**
 * Header parameters with these names SHALL be ignored (OpenAPI 3.1 §4.8.12.1):
 * `Authorization` in particular may only come from configured credentials.
 * @see https://spec.openapis.org/oas/v3.1.0#fixed-fields-9
 */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
const MAX_DEPTH = 32;

/**
 * Serializes the path, query, header and cookie parameters of one call per
 * the OpenAPI 3.1 style/explode tables. `undefined`/`null` values of optional
 * parameters are omitted; `""`, `[]` and `{}` are the table's "empty" value.
 * Parameters with `contentType` are sent as JSON text in their location.
 *
 * Not defined by the spec, chosen here: nested values inside an object or
 * array are sent as JSON text, except with `deepObject`, which nests brackets
 * (`a[b][c]=1`) and repeats keys for arrays (`a[b]=1&a[b]=2`); a style that
 * does not apply to a location falls back to that location's default.
 *
 * Path values are percent-encoded to RFC 3986 unreserved characters, and a
 * segment that would read as `.` or `..` (also `%2E%2E`, which WHATWG URL
 * parsing normalises just like `..`) or an empty value is rejected.
 *
 * @throws {UpstreamError} `missing_path_parameter`, `invalid_path_parameter`,
 *   `invalid_header_value`, `invalid_argument`.
 * @see https://spec.openapis.org/oas/v3.1.0#style-values
 * @see https://spec.openapis.org/oas/v3.1.0#style-examples
 */
export function serializeParameters(http: HttpBinding, args: Record<string, unknown>): SerializedParameters {
  const pathValues = new Map<string, string>();
  const query: string[] = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];

  for (const p of http.parameters) {
    const raw = Object.hasOwn(args, p.argument) ? args[p.argument] : undefined;
    if (raw === undefined || raw === null) {
      if (p.in === 'path') throw new UpstreamError('missing_path_parameter', `path parameter "${p.name}" is required`);
      continue;
    }
    const shape = toShape(raw, p);
    switch (p.in) {
      case 'path':
        pathValues.set(p.name, serializePath(p, shape));
        break;
      case 'query':
        query.push(...serializeQuery(p, shape, raw));
        break;
      case 'header':
        if (!IGNORED_HEADERS.has(p.name.toLowerCase())) headers[p.name] = serializeHeader(p, shape);
        break;
      case 'cookie':
        cookies.push(...serializeCookie(p, shape));
        break;
    }
  }
  return { path: substitutePath(http.path, pathValues), query: query.join('&'), headers, cookies: cookies.join('; ') };
}

function substitutePath(template: string, values: ReadonlyMap<string, string>): string {
  // One pass over the template: a substituted value is never scanned again.
  const path = template.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new UpstreamError('missing_path_parameter', `path parameter "${name}" is required`);
    return value;
  });
  for (const segment of path.split('/').slice(1)) {
    const dots = segment.replace(/%2e/gi, '.');
    if (dots === '.' || dots === '..') {
      throw new UpstreamError('invalid_path_parameter', 'a path parameter must not form a "." or ".." path segment');
    }
  }
  return path;
}

function toShape(raw: unknown, p: ParameterBinding): Shape {
  if (p.contentType !== undefined) return { kind: 'primitive', value: JSON.stringify(raw) };
  if (Array.isArray(raw)) return raw.length === 0 ? { kind: 'empty' } : { kind: 'array', items: raw.map(leaf) };
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, leaf(v)] as const);
    return entries.length === 0 ? { kind: 'empty' } : { kind: 'object', entries };
  }
  const value = leaf(raw);
  return value === '' ? { kind: 'empty' } : { kind: 'primitive', value };
}

function leaf(value: unknown): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  const json = JSON.stringify(value);
  if (json === undefined) throw new UpstreamError('invalid_argument', 'a parameter value is not JSON data');
  return json;
}

function styleFor(p: ParameterBinding, allowed: readonly ParameterStyle[]): ParameterStyle {
  return allowed.includes(p.style) ? p.style : allowed[0]!;
}

/** RFC 6570-like expansion shared by simple, label and matrix. */
function expand(
  shape: Shape,
  enc: (s: string) => string,
  sep: string,
  explode: boolean,
  pairSep = explode ? '=' : ',',
): string {
  switch (shape.kind) {
    case 'empty':
      return '';
    case 'primitive':
      return enc(shape.value);
    case 'array':
      return shape.items.map(enc).join(explode ? sep : ',');
    case 'object':
      return shape.entries.map(([k, v]) => `${enc(k)}${pairSep}${enc(v)}`).join(explode ? sep : ',');
  }
}

function serializePath(p: ParameterBinding, shape: Shape): string {
  const enc = encodeUnreserved;
  const style = styleFor(p, ['simple', 'label', 'matrix']);
  if (style === 'label') return `.${expand(shape, enc, '.', p.explode)}`;
  if (style === 'matrix') {
    const name = enc(p.name);
    if (shape.kind === 'empty') return `;${name}`;
    if (p.explode && shape.kind === 'array') return shape.items.map((i) => `;${name}=${enc(i)}`).join('');
    if (p.explode && shape.kind === 'object') return shape.entries.map(([k, v]) => `;${enc(k)}=${enc(v)}`).join('');
    return `;${name}=${expand(shape, enc, ',', false)}`;
  }
  const value = expand(shape, enc, ',', p.explode);
  if (value === '') throw new UpstreamError('invalid_path_parameter', `path parameter "${p.name}" must not be empty`);
  return value;
}

function serializeQuery(p: ParameterBinding, shape: Shape, raw: unknown): string[] {
  const enc = (s: string) => encodeQueryComponent(s, p.allowReserved === true);
  const name = encodeQueryComponent(p.name);
  const style = styleFor(p, ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);
  if (style === 'deepObject' && shape.kind === 'object' && p.contentType === undefined) {
    return deepObject(name, raw as Record<string, unknown>, enc, 0);
  }
  if (
    (style === 'spaceDelimited' || style === 'pipeDelimited') &&
    !p.explode &&
    (shape.kind === 'array' || shape.kind === 'object')
  ) {
    const parts = shape.kind === 'array' ? shape.items : shape.entries.flat();
    return [`${name}=${parts.map(enc).join(style === 'spaceDelimited' ? '%20' : '|')}`];
  }
  // form, and the cases the other styles leave undefined.
  if (p.explode && shape.kind === 'array') return shape.items.map((i) => `${name}=${enc(i)}`);
  if (p.explode && shape.kind === 'object')
    return shape.entries.map(([k, v]) => `${encodeQueryComponent(k)}=${enc(v)}`);
  return [`${name}=${expand(shape, enc, ',', false)}`];
}

function deepObject(
  prefix: string,
  value: Record<string, unknown>,
  enc: (s: string) => string,
  depth: number,
): string[] {
  if (depth > MAX_DEPTH) throw new UpstreamError('invalid_argument', 'a deepObject parameter is nested too deeply');
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const key = `${prefix}[${encodeQueryComponent(k)}]`;
    if (Array.isArray(v)) out.push(...v.map((i) => `${key}=${enc(leaf(i))}`));
    else if (typeof v === 'object' && v !== null)
      out.push(...deepObject(key, v as Record<string, unknown>, enc, depth + 1));
    else out.push(`${key}=${enc(leaf(v))}`);
  }
  return out;
}

function serializeHeader(p: ParameterBinding, shape: Shape): string {
  const value = expand(shape, (s) => s, ',', p.explode);
  assertNoControlBreaks(value, `header parameter "${p.name}"`);
  return value;
}

/**
 * Cookie `form` per the 3.1 table, with pairs joined as an RFC 6265 §4.2.1
 * cookie-string (`; `) instead of `&`; the `,` of non-exploded values is the
 * OpenAPI delimiter and is kept literal.
 */
function serializeCookie(p: ParameterBinding, shape: Shape): string[] {
  const what = `cookie parameter "${p.name}"`;
  const enc = (s: string) => encodeCookieComponent(s, what);
  const name = enc(p.name);
  if (p.explode && shape.kind === 'array') return shape.items.map((i) => `${name}=${enc(i)}`);
  if (p.explode && shape.kind === 'object') return shape.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`);
  return [`${name}=${expand(shape, enc, ',', false)}`];
}
