import type { HttpBinding, ParameterBinding, ParameterStyle } from '../mcp/types.js';
import { IGNORED_HEADERS } from './ignored-headers.js';
import {
  assertNoControlBreaks,
  encodeCookieComponent,
  encodeQueryComponent,
  encodeUnreserved,
} from './percent-encode.js';
import { UpstreamError } from './upstream-error.js';
import { FRAMING_HEADERS } from './framing-headers.js';

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

/**
 * Names the server itself sets on the request (its credentials), lower-cased.
 * A caller-supplied name equal to one of them, in the same location, would
 * shadow or duplicate the credential (`?api_key=ATTACKER&api_key=<key>`), and
 * which of two the upstream reads is up to its framework: such a call is
 * refused. Query and cookie names compare case-insensitively too, since some
 * frameworks (ASP.NET) read query keys that way.
 */
export interface ReservedNames {
  readonly query: ReadonlySet<string>;
  readonly cookie: ReadonlySet<string>;
  readonly header: ReadonlySet<string>;
}

const NOTHING_RESERVED: ReservedNames = { query: new Set(), cookie: new Set(), header: new Set() };

/** A value reduced to the three shapes the OpenAPI style table knows. */
type Shape =
  | { readonly kind: 'empty' }
  | { readonly kind: 'primitive'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly string[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, string])[] };

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
 * segment that would read as `.` or `..` in any spelling (see `hasDotSegment`)
 * or an empty value is rejected.
 *
 * An object value's keys must be among `properties` when the binding lists
 * them, and no name the caller controls may be one of `reserved` (the
 * server's credentials) or a header that frames or routes the request.
 *
 * @throws {UpstreamError} `missing_path_parameter`, `invalid_path_parameter`,
 *   `invalid_header_value`, `invalid_argument`, `reserved_name`.
 * @see https://spec.openapis.org/oas/v3.1.0#style-values
 * @see https://spec.openapis.org/oas/v3.1.0#style-examples
 */
export function serializeParameters(
  http: HttpBinding,
  args: Record<string, unknown>,
  reserved: ReservedNames = NOTHING_RESERVED,
): SerializedParameters {
  // Path values by name, in a flat [name, value, ...] list: an operation has a few (no Map per call).
  const pathValues: string[] = [];
  const query: string[] = [];
  // No prototype: a header parameter may be named `__proto__` (a valid RFC 9110 token).
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
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
        pathValues.push(p.name, serializePath(p, shape));
        break;
      case 'query':
        query.push(...serializeQuery(p, shape, raw, (name) => assertNotReserved(reserved.query, 'query', name, p)));
        break;
      case 'header': {
        const lower = p.name.toLowerCase();
        if (IGNORED_HEADERS.has(lower)) break; // OpenAPI 3.1 §4.8.12.1
        if (FRAMING_HEADERS.has(lower) || reserved.header.has(lower)) {
          throw new UpstreamError(
            'reserved_name',
            `header parameter "${p.name}" cannot be set by a caller: the server sets it itself`,
          );
        }
        headers[p.name] = serializeHeader(p, shape);
        break;
      }
      case 'cookie':
        cookies.push(...serializeCookie(p, shape, (name) => assertNotReserved(reserved.cookie, 'cookie', name, p)));
        break;
    }
  }
  return { path: substitutePath(http.path, pathValues), query: query.join('&'), headers, cookies: cookies.join('; ') };
}

function substitutePath(template: string, values: readonly string[]): string {
  // One pass over the template: a substituted value is never scanned again.
  const parts = templateParts(template);
  let path = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const value = valueOf(values, name);
    if (value === undefined) throw new UpstreamError('missing_path_parameter', `path parameter "${name}" is required`);
    path += value + parts[i + 1]!;
  }
  // No segment can spell a dot segment without one of these characters (`hasDotSegment`'s own first test).
  if (!MAY_SPELL_DOT.test(path)) return path;
  for (const segment of path.split('/').slice(1)) {
    if (hasDotSegment(segment)) {
      throw new UpstreamError('invalid_path_parameter', 'a path parameter must not form a "." or ".." path segment');
    }
  }
  return path;
}

/** The value of `name` in a flat `[name, value, ...]` list; the last one wins, as a Map's `set` would. */
function valueOf(values: readonly string[], name: string): string | undefined {
  for (let i = values.length - 2; i >= 0; i -= 2) if (values[i] === name) return values[i + 1];
  return undefined;
}

/**
 * Whether a path segment reads as `.` or `..` (RFC 3986 §5.2.4) to a server or
 * proxy that decodes before normalising, as nginx does: percent-decoded
 * (`%2E%2E`, `..%2F`, `..%5C`), NFKC-folded (fullwidth `．．`, the two-dot
 * leader `‥`), and split at `/`, `\` (Windows servers) and `;` (path
 * parameters, `..;` on Tomcat). Rejected rather than encoded differently: no
 * spelling of `..` is worth the risk of leaving the base path.
 */
/** A server has one template per operation: bounded all the same, since a test may make any number. */
const MAX_TEMPLATES = 4096;
const templates = new Map<string, readonly string[]>();

/**
 * A path template split once into literal text and parameter names, alternating
 * (`/a/{id}/b` -> `['/a/', 'id', '/b']`), as `replace(/\{([^{}]+)\}/g)` would
 * split it: no regex and callback per call.
 */
function templateParts(template: string): readonly string[] {
  let parts = templates.get(template);
  if (parts === undefined) {
    parts = template.split(/\{([^{}]+)\}/);
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    templates.set(template, parts);
  }
  return parts;
}

function hasDotSegment(segment: string): boolean {
  // Without a dot, a `%` or a non-ASCII character, decoding and NFKC leave the
  // segment as it is and no part of it can be "." or "..": the usual segment
  // (an id, a name) needs none of the work below.
  if (!MAY_SPELL_DOT.test(segment)) return false;
  // Also decoded twice and three times: a literal "%2e%2e" argument is sent as
  // "%252e%252e", which a server that decodes twice (IIS did) reads as "..".
  let text = segment;
  for (let round = 0; round < 3; round++) {
    const decoded = decodeOnce(text);
    if (
      decoded
        .normalize('NFKC')
        .split(/[/\\;]/)
        .some((part) => part === '.' || part === '..')
    )
      return true;
    if (decoded === text) return false;
    text = decoded;
  }
  return false;
}

/** What a dot segment needs: a dot, a percent escape, or a character NFKC may fold into one (non-ASCII). */
const MAY_SPELL_DOT = /[.%\u0080-\uffff]/;

function decodeOnce(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Not UTF-8 once decoded (a template's own `%`s): decode what could spell a dot or a separator.
    return segment.replace(/%2e/gi, '.').replace(/%2f/gi, '/').replace(/%5c/gi, '\\').replace(/%3b/gi, ';');
  }
}

function toShape(raw: unknown, p: ParameterBinding): Shape {
  if (p.contentType !== undefined) return { kind: 'primitive', value: JSON.stringify(raw) };
  if (Array.isArray(raw)) return raw.length === 0 ? { kind: 'empty' } : { kind: 'array', items: raw.map(leaf) };
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, leaf(v)] as const);
    if (p.properties !== undefined)
      assertDeclared(
        entries.map(([k]) => k),
        p,
      );
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

function serializeQuery(p: ParameterBinding, shape: Shape, raw: unknown, guard: (name: string) => void): string[] {
  const enc = (s: string) => encodeQueryComponent(s, p.allowReserved === true);
  guard(p.name);
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
  if (p.explode && shape.kind === 'object') {
    // Each key becomes a query name of its own: it must not be a credential's.
    return shape.entries.map(([k, v]) => {
      guard(k);
      return `${encodeQueryComponent(k)}=${enc(v)}`;
    });
  }
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
  // RFC 9110 §5.5 field-value: visible ASCII, SP, HTAB and obs-text; anything
  // else cannot be put on the wire (fetch would throw a TypeError).
  if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
    throw new UpstreamError(
      'invalid_header_value',
      `header parameter "${p.name}" must be visible ASCII (RFC 9110 §5.5)`,
    );
  }
  return value;
}

/**
 * Cookie `form` per the 3.1 table, with pairs joined as an RFC 6265 §4.2.1
 * cookie-string (`; `) instead of `&`; the `,` of non-exploded values is the
 * OpenAPI delimiter and is kept literal.
 */
function serializeCookie(p: ParameterBinding, shape: Shape, guard: (name: string) => void): string[] {
  const what = `cookie parameter "${p.name}"`;
  const enc = (s: string) => encodeCookieComponent(s, what);
  guard(p.name);
  const name = enc(p.name);
  if (p.explode && shape.kind === 'array') return shape.items.map((i) => `${name}=${enc(i)}`);
  if (p.explode && shape.kind === 'object') {
    return shape.entries.map(([k, v]) => {
      guard(k);
      return `${enc(k)}=${enc(v)}`;
    });
  }
  return [`${name}=${expand(shape, enc, ',', false)}`];
}

/**
 * An object value may carry only the properties its schema declares: an
 * exploded object turns each key into a query name or cookie of its own, so
 * an undeclared key would be a parameter the spec never defined.
 */
function assertDeclared(keys: readonly string[], p: ParameterBinding): void {
  const declared = p.properties ?? [];
  const unknown = keys.filter((k) => !declared.includes(k));
  if (unknown.length === 0) return;
  throw new UpstreamError(
    'invalid_argument',
    `parameter "${p.name}" has no propert${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; it declares ${declared.length === 0 ? 'none' : declared.map((k) => JSON.stringify(k)).join(', ')}`,
  );
}

function assertNotReserved(
  reserved: ReadonlySet<string>,
  location: 'query' | 'cookie',
  name: string,
  p: ParameterBinding,
): void {
  if (!reserved.has(name.toLowerCase())) return;
  throw new UpstreamError(
    'reserved_name',
    `parameter "${p.name}" would send the ${location} ${location === 'query' ? 'parameter' : 'cookie'} ${JSON.stringify(name)}, which carries the server's own credential`,
  );
}
