import { AuthError } from './auth-error.js';
import { B64TOKEN } from './b64token.js';
import { exceedsBytes } from './token-size.js';

/** The credential-bearing headers of one request, every occurrence kept (Node keeps only the first `Authorization`). */
export interface CredentialHeaders {
  readonly authorization: readonly string[];
  /** `X-API-Key` values; read only in API-key mode. */
  readonly apiKey: readonly string[];
}

/**
 * The credential of a request, within the size limit, from the `Authorization`
 * header only. RFC 6750 §2.2/§2.3 also allow form bodies and URI query
 * parameters; the MCP authorization spec (2025-11-25 "Token Requirements")
 * forbids tokens in the query string, so `?access_token=` is never read: such
 * a request is simply unauthenticated. API keys may also come as `X-API-Key`.
 * The RFC 6750 §2.1 syntax is checked apart ({@link checkBearerSyntax}): a
 * caller first looks the credential up among those verified before (each of
 * which passed that check), and checks any other before verifying it. Does not
 * verify the credential (that is the `TokenVerifier`'s job).
 * @throws {AuthError} `credential_missing` (no credential, or another auth
 *   scheme), `invalid_request` (the header repeated: RFC 6750 §3.1, "uses
 *   more than one method"), `invalid_token` (malformed or oversized).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function bearerCandidate(headers: CredentialHeaders, maxBytes: number, apiKeyHeader: boolean): string {
  const header = soleValue(headers.authorization);
  if (header === MORE_THAN_ONE) throw new AuthError('invalid_request', 'more than one Authorization header');
  if (header === undefined) {
    const keys = apiKeyHeader ? headers.apiKey.filter((v) => v !== '') : [];
    if (keys.length > 1) throw new AuthError('invalid_request', 'more than one X-API-Key header');
    if (keys[0] !== undefined) return sized(keys[0], maxBytes);
    throw new AuthError('credential_missing', 'no credential');
  }
  // `scheme [1*SP rest]` with a scheme of letters (what /^([A-Za-z]+)( +.*)?$/ matches; a header
  // value holds no line break), read without a regular expression capturing the whole token.
  let end = 0;
  while (end < header.length && isLetter(header.charCodeAt(end))) end++;
  if (end === 0 || (end < header.length && header.charCodeAt(end) !== 0x20))
    throw new AuthError('invalid_token', 'malformed Authorization header');
  // The auth-scheme is case-insensitive (RFC 9110 §11.1); another scheme is no bearer credential.
  if (end !== 6 || !isBearerScheme(header)) throw new AuthError('credential_missing', 'no bearer credential');
  const token = header.slice(end).trim();
  if (token === '') throw new AuthError('invalid_token', 'empty bearer token');
  return sized(token, maxBytes);
}

/** Whether the six letters that open `header` spell `bearer` in any case (no lower-cased copy per request). */
function isBearerScheme(header: string): boolean {
  for (let i = 0; i < 6; i++) if ((header.charCodeAt(i) | 0x20) !== BEARER.charCodeAt(i)) return false;
  return true;
}

const BEARER = 'bearer';

const MORE_THAN_ONE = Symbol('more than one');

/** The one non-empty value of a header (empty occurrences are ignored), without a filtered copy per request. */
function soleValue(values: readonly string[]): string | typeof MORE_THAN_ONE | undefined {
  let found: string | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === '') continue;
    if (found !== undefined) return MORE_THAN_ONE;
    found = value;
  }
  return found;
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function sized(token: string, maxBytes: number): string {
  // Length first: never run a regular expression or a parser over an unbounded attacker string.
  if (exceedsBytes(token, maxBytes)) throw new AuthError('invalid_token', 'token too large');
  return token;
}

/**
 * RFC 6750 §2.1: a bearer credential is a b64token; anything else is refused
 * before it is verified. Call only on a credential within the size limit.
 * @throws {AuthError} `invalid_token`.
 */
export function checkBearerSyntax(token: string): string {
  if (!B64TOKEN.test(token)) throw new AuthError('invalid_token', 'token has characters a bearer token cannot have');
  return token;
}
