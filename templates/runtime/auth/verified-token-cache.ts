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
 * Verified JWTs by the SHA-256 of the token (the token itself is not kept,
 * but for the one last recalled, while its entry lasts: see `last` below),
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
  const entries = new Map<string, Entry>();
  // The one-shot `hash` (Node 20.12+): half the CPU of a `Hash` object per request.
  const keyOf = (token: string) => hash('sha256', token, 'base64url');
  /**
   * The token last recalled, with its entry: a client sends the same token on every request, so
   * it is compared as a string (exactly: a different token never matches) instead of hashed
   * again. The only raw token kept, and only while its entry is in the map: every removal of
   * that entry (expiry, eviction, replacement) forgets it, so it is never held longer than the
   * hash is, nor past the entry's `until`.
   */
  let last: { readonly token: string; readonly key: string; readonly entry: Entry } | undefined;
  const remove = (key: string) => {
    entries.delete(key);
    if (last !== undefined && last.key === key) last = undefined;
  };
  return {
    get(token) {
      let key: string;
      let entry: Entry | undefined;
      if (last !== undefined && last.token === token) {
        key = last.key;
        entry = last.entry;
      } else {
        key = keyOf(token);
        entry = entries.get(key);
        if (!entry) return undefined;
      }
      const at = now();
      if (at >= entry.until) {
        remove(key);
        return undefined;
      }
      // Most recently used last; moved at most once a second, not on every request of a busy token.
      if (at - entry.touched >= RECENCY_MS) {
        entry.touched = at;
        entries.delete(key);
        entries.set(key, entry);
      }
      if (last === undefined || last.entry !== entry) last = { token, key, entry };
      return entry.principal;
    },
    set(token, principal, expiresAt) {
      const at = now();
      const until = Math.min(expiresAt * 1000, at + maxAgeMs);
      if (!Number.isFinite(until) || until <= at || maxEntries <= 0) return;
      const key = keyOf(token);
      remove(key);
      while (entries.size >= maxEntries) remove(entries.keys().next().value as string);
      entries.set(key, { principal, until, touched: at });
    },
  };
}

interface Entry {
  readonly principal: Principal;
  readonly until: number;
  touched: number;
}
