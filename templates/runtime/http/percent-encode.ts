/**
 * Byte-wise percent-encoding (RFC 3986 §2.1) with an explicit set of ASCII
 * characters left as they are. Works on UTF-8 bytes so that lone surrogates
 * in hostile input become U+FFFD instead of throwing like `encodeURIComponent`.
 */
import { UpstreamError } from './upstream-error.js';

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
const utf8 = new TextEncoder();

function encodeKeeping(value: string, keep: ReadonlySet<number>, keepTriples = false): string {
  const bytes = utf8.encode(value);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (keepTriples && byte === 0x25 && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out += String.fromCharCode(byte, bytes[i + 1]!, bytes[i + 2]!);
      i += 2;
    } else if (keep.has(byte)) {
      out += String.fromCharCode(byte);
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && /[0-9A-Fa-f]/.test(String.fromCharCode(byte));
}

function charSet(chars: string): ReadonlySet<number> {
  return new Set([...chars].map((c) => c.charCodeAt(0)));
}

const unreservedSet = charSet(UNRESERVED);
/**
 * RFC 3986 §2.2 reserved characters that stay literal with `allowReserved`,
 * minus those that would break the query itself: `#` (fragment), `[` `]`
 * (not allowed in a query) and `&` `=` `+` (form-urlencoded delimiters).
 * @see https://spec.openapis.org/oas/v3.1.1#fixed-fields-for-use-with-schema
 */
const reservedQuerySet = charSet(`${UNRESERVED}:/?@!$'()*,;`);
/**
 * RFC 6265 §4.1.1 cookie-octet, minus `%` so that the encoding is reversible.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-4.1.1
 */
const cookieOctetSet = new Set(
  Array.from({ length: 0x7f }, (_, c) => c).filter(
    (c) =>
      c === 0x21 ||
      (c >= 0x23 && c <= 0x2b && c !== 0x25) ||
      (c >= 0x2d && c <= 0x3a) ||
      (c >= 0x3c && c <= 0x5b) ||
      (c >= 0x5d && c <= 0x7e),
  ),
);

/**
 * Encodes everything but RFC 3986 §2.3 unreserved characters, so that a path
 * value cannot introduce `/`, `?`, `#`, `%` or a delimiter of the OpenAPI style.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-2.3
 */
export function encodeUnreserved(value: string): string {
  // Most values (ids, names, numbers) are unreserved already: nothing to encode, no UTF-8 copy.
  return ALL_UNRESERVED.test(value) ? value : encodeKeeping(value, unreservedSet);
}

/** Only characters `encodeKeeping(_, unreservedSet)` keeps as they are (all ASCII, so one byte each). */
const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

/**
 * Encodes a query name or value. With `allowReserved`, reserved characters
 * and existing percent-encoded triples pass through (OpenAPI 3.1.1 clarifies
 * that `#`, `[`, `]`, `&`, `=` and `+` must still be encoded).
 * @see https://spec.openapis.org/oas/v3.1.0#parameter-object
 */
export function encodeQueryComponent(value: string, allowReserved = false): string {
  return allowReserved ? encodeKeeping(value, reservedQuerySet, true) : encodeUnreserved(value);
}

/**
 * Percent-encodes a cookie name or value to RFC 6265 cookie-octets after
 * rejecting CR, LF and NUL, which would be an injection attempt.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-4.1.1
 */
export function encodeCookieComponent(value: string, what: string): string {
  assertNoControlBreaks(value, what);
  return encodeKeeping(value, cookieOctetSet);
}

/**
 * Rejects CR, LF and NUL in a header or cookie value: RFC 9110 §5.5 forbids
 * them and they are the means of header injection. Rejected, not stripped,
 * so that a hostile value is never silently altered into another request.
 * The message names the field, never the value.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.5
 */
export function assertNoControlBreaks(value: string, what: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new UpstreamError('invalid_header_value', `${what} must not contain CR, LF or NUL`);
  }
}
