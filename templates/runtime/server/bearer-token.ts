import type { IncomingMessage } from 'node:http';

export type BearerExtraction =
  | { readonly kind: 'token'; readonly token: string }
  /** No credential at all (RFC 6750 §3.1: the challenge then carries no error code). */
  | { readonly kind: 'none' }
  | { readonly kind: 'malformed'; readonly description: string };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of a request, from the `Authorization` header only.
 * RFC 6750 §2.2/§2.3 also allow form bodies and URI query parameters; the
 * MCP authorization spec (2025-11-25 "Token Requirements") forbids tokens in
 * the query string, so `?access_token=` is never read: such a request is
 * simply unauthenticated. API keys may also come as `X-API-Key`.
 */
export function extractBearer(req: IncomingMessage, options: { maxBytes: number; apiKeyHeader?: boolean }): BearerExtraction {
  const header = req.headers.authorization;
  if (header === undefined || header === '') {
    const key = options.apiKeyHeader ? req.headers['x-api-key'] : undefined;
    if (typeof key === 'string' && key !== '') return checked(key, options.maxBytes);
    return { kind: 'none' };
  }
  const match = /^([A-Za-z]+) +(.*)$/.exec(header) ?? /^([A-Za-z]+)$/.exec(header);
  if (!match) return { kind: 'malformed', description: 'malformed Authorization header' };
  // The auth-scheme is case-insensitive (RFC 9110 §11.1); another scheme is no bearer credential.
  if ((match[1] as string).toLowerCase() !== 'bearer') return { kind: 'none' };
  const token = (match[2] ?? '').trim();
  if (token === '') return { kind: 'malformed', description: 'empty bearer token' };
  return checked(token, options.maxBytes);
}

function checked(token: string, maxBytes: number): BearerExtraction {
  // Length first: never run a regular expression or a parser over an unbounded attacker string.
  if (Buffer.byteLength(token) > maxBytes) return { kind: 'malformed', description: 'token too large' };
  if (!B64TOKEN.test(token)) return { kind: 'malformed', description: 'token has characters a bearer token cannot have' };
  return { kind: 'token', token };
}
