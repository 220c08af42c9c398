/** A token and the time (ms since the epoch) from which it is no longer handed out. */
export interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
}

export interface TokenCache {
  /**
   * The cached token for `key` while it is fresh, else the one `obtain`
   * resolves to. Concurrent callers for one key share a single `obtain`
   * (single flight), so N calls cost one token request. `signal` only stops
   * this caller's wait, not the shared request others may be waiting on.
   */
  get(key: string, obtain: () => Promise<CachedToken>, signal?: AbortSignal): Promise<CachedToken>;
  /** Forgets `key` if it still holds `token` (a newer token is kept). */
  discard(key: string, token: string): void;
}

/** Used when a token response has no `expires_in` (RFC 6749 §5.1 only RECOMMENDS it). */
const DEFAULT_TOKEN_LIFETIME_S = 300;
const MAX_MARGIN_MS = 30_000;

/**
 * When to stop using a token issued at `now` for `expiresIn` seconds: a
 * margin of 10 % of its lifetime, at most 30 s, so that it does not expire
 * on the way to the upstream or through clock skew.
 */
export function refreshAt(now: number, expiresIn: number | undefined): number {
  const lifetime = (expiresIn ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
  return now + lifetime - Math.min(MAX_MARGIN_MS, lifetime / 10);
}

/**
 * An in-memory token cache, one per server (never module state, so two
 * servers in one process never share tokens). At most `maxEntries` tokens
 * are kept: expired ones go first, then the oldest.
 */
export function createTokenCache(options: { readonly now: () => number; readonly maxEntries: number }): TokenCache {
  const tokens = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<CachedToken>>();

  function store(key: string, entry: CachedToken): void {
    if (entry.refreshAt <= options.now()) return;
    tokens.delete(key);
    if (tokens.size >= options.maxEntries) {
      const now = options.now();
      for (const [k, v] of tokens) if (v.refreshAt <= now) tokens.delete(k);
      for (const k of tokens.keys()) {
        if (tokens.size < options.maxEntries) break;
        tokens.delete(k);
      }
    }
    tokens.set(key, entry);
  }

  return {
    get(key, obtain, signal) {
      const cached = tokens.get(key);
      if (cached && cached.refreshAt > options.now()) return Promise.resolve(cached);
      let flight = pending.get(key);
      if (!flight) {
        flight = obtain().then(
          (entry) => {
            pending.delete(key);
            store(key, entry);
            return entry;
          },
          (error: unknown) => {
            pending.delete(key);
            throw error;
          },
        );
        pending.set(key, flight);
      }
      return signal ? untilAborted(flight, signal) : flight;
    },
    discard(key, token) {
      if (tokens.get(key)?.token === token) tokens.delete(key);
    },
  };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
