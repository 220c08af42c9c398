import { hash } from 'node:crypto';
import type { Principal } from './principal.js';

export interface VerifiedTokenCacheOptions {
  /** Tokens kept at most; the least recently used is dropped first. */
  readonly maxEntries?: number;
  /** A token is verified again at least this often, even far from its `exp` (key rotation, revoked keys). */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

export interface VerifiedTokenCache {
  /** The principal of a token verified before and still within its lifetime, else `undefined`. */
  get(token: string): Principal | undefined;
  /** Remembers a verified token until `expiresAt` (seconds since the epoch, the `exp` claim), at most `maxAgeMs`. */
  set(token: string, principal: Principal, expiresAt: number): void;
}

export const DEFAULT_VERIFIED_TOKENS = 1000;
export const DEFAULT_VERIFIED_MAX_AGE_MS = 60_000;
/** How stale the least-recently-used order may be: an entry is moved to the end at most this often. */
const RECENCY_MS = 1000;

/**
 * Verified JWTs by the SHA-256 of the token (the token itself is not kept),
 * so a client sending the same token on every request pays for one signature
 * check per minute, not one per request. Only successes are kept, and never
 * past the token's own `exp` (RFC 7519 §4.1.4; the clock tolerance is not
 * extended to cached tokens): `nbf` and `iat` were checked when it was
 * verified and cannot become false later. Bounded: least recently used out.
 * Does not notice a key removed from the JWKS before `maxAgeMs` passes (nor
 * does jose's key cache before its own max age).
 */
export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions = {}): VerifiedTokenCache {
  const maxEntries = options.maxEntries ?? DEFAULT_VERIFIED_TOKENS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_VERIFIED_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { readonly principal: Principal; readonly until: number; touched: number }>();
  // The one-shot `hash` (Node 20.12+): half the CPU of a `Hash` object per request.
  const keyOf = (token: string) => hash('sha256', token, 'base64url');
  return {
    get(token) {
      const key = keyOf(token);
      const entry = entries.get(key);
      if (!entry) return undefined;
      const at = now();
      if (at >= entry.until) {
        entries.delete(key);
        return undefined;
      }
      // Most recently used last; moved at most once a second, not on every request of a busy token.
      if (at - entry.touched >= RECENCY_MS) {
        entry.touched = at;
        entries.delete(key);
        entries.set(key, entry);
      }
      return entry.principal;
    },
    set(token, principal, expiresAt) {
      const at = now();
      const until = Math.min(expiresAt * 1000, at + maxAgeMs);
      if (!Number.isFinite(until) || until <= at || maxEntries <= 0) return;
      const key = keyOf(token);
      entries.delete(key);
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { principal, until, touched: at });
    },
  };
}
