import { clientSecretBasic } from '../http/client-secret-basic.js';
import { createHash } from 'node:crypto';
import type { OAuthSettings } from './auth-config.js';
import { fetchFromAuthServer } from './fetch-from-auth-server.js';
import { jsonObject } from '../http/fetch-bounded.js';
import { createIssuerMetadataSource, type IssuerMetadataSource } from './issuer-metadata.js';
import { AuthUnavailableError, InvalidTokenError, type Principal, type TokenVerifier } from './principal.js';
import { principalFromClaims } from './token-claims.js';
import { audienceRefusal } from './audience-binding.js';
import { exceedsBytes } from './token-size.js';

export interface IntrospectionVerifierOptions {
  /** Shared with the JWT verifier so that discovery runs once. */
  readonly metadata?: IssuerMetadataSource;
  readonly timeoutMs?: number;
  /** Upper bound of a cached answer's life; default 60 s (revocation is noticed within this). */
  readonly cacheSeconds?: number;
  readonly maxCacheEntries?: number;
  /** How long a refusal (inactive, wrong audience...) is remembered; default 10 s. */
  readonly negativeCacheSeconds?: number;
  /** Bound of the refusal cache, apart from the answer cache so junk cannot push real tokens out; default 10,000. */
  readonly maxNegativeCacheEntries?: number;
  readonly retryAfterMs?: number;
  /**
   * Calls to the authorization server in flight at once; beyond it a new token is answered 503 at
   * once, so a flood of distinct junk tokens cannot become a flood of introspection calls. Default 64.
   */
  readonly maxConcurrent?: number;
  /** The clock, milliseconds since the epoch (tests inject one); default `Date.now`. */
  readonly now?: () => number;
}

interface CacheEntry {
  readonly principal: Principal;
  readonly until: number;
}

interface RefusalEntry {
  readonly description: string;
  readonly until: number;
}

/** Names the opt-in in the refusal, so that an operator finds it. */
const ACCEPT_MISSING_AUD_ENV = 'OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD';

/**
 * RFC 7662 token introspection for opaque tokens: POST `token` and
 * `token_type_hint=access_token` with client_secret_basic (RFC 6749
 * §2.3.1). Refuses inactive tokens, an `iss` other than OAUTH_ISSUER, an
 * `aud` that is absent or does not name this server (RFC 8707: an answer
 * without `aud` says nothing about which resource the token is for; see
 * OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD), expired or
 * not-yet-valid tokens, non-bearer types and sender-constrained tokens
 * (`cnf`, which this server cannot check). Answers are cached under the
 * token's SHA-256 (never the token): active ones until min(exp, 60 s),
 * refusals for 10 s in a separate bounded cache, so that a junk token sent
 * again and again costs one authorization-server call per 10 s; and at most
 * `maxConcurrent` calls are in flight, so distinct junk cannot flood the
 * authorization server either. Does not check scopes or roles.
 */
export function createIntrospectionVerifier(
  settings: OAuthSettings,
  options: IntrospectionVerifierOptions = {},
): TokenVerifier {
  const client = settings.introspection;
  if (!client) throw new Error('createIntrospectionVerifier needs settings.introspection');
  const timeoutMs = options.timeoutMs ?? 5000;
  const cacheMs = (options.cacheSeconds ?? 60) * 1000;
  const maxEntries = options.maxCacheEntries ?? 1000;
  const refusalMs = (options.negativeCacheSeconds ?? 10) * 1000;
  const maxRefusals = options.maxNegativeCacheEntries ?? 10_000;
  const clock = options.now ?? (() => Date.now());
  const retryAfterSeconds = Math.max(1, Math.ceil((options.retryAfterMs ?? 5000) / 1000));
  const maxConcurrent = options.maxConcurrent ?? 64;
  const metadata =
    options.metadata ??
    createIssuerMetadataSource(settings.issuer, {
      timeoutMs,
      retryAfterMs: options.retryAfterMs ?? 5000,
      allowInsecureHttp: settings.allowInsecureHttp,
    });
  const authorization = clientSecretBasic(client.clientId, client.clientSecret);
  const cache = new Map<string, CacheEntry>();
  const refusals = new Map<string, RefusalEntry>();
  const inFlight = new Map<string, Promise<Principal>>();

  async function introspect(token: string): Promise<Principal> {
    const endpoint = client!.url ?? (await metadata.get()).introspectionEndpoint;
    if (!endpoint) {
      throw new AuthUnavailableError(
        `the metadata of issuer "${settings.issuer}" has no introspection_endpoint; set OAUTH_INTROSPECTION_URL`,
      );
    }
    const response = await fetchFromAuthServer(
      'token introspection',
      endpoint,
      {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      },
      { timeoutMs, maxBytes: 64 * 1024 },
    );
    // Our own credentials refused, or a server error: not the caller's fault, and no decision.
    if (response.status !== 200)
      throw new AuthUnavailableError(`token introspection at ${endpoint.href}: HTTP ${response.status}`, {
        retryAfterSeconds,
      });
    const claims = jsonObject(response.body);
    if (!claims || typeof claims.active !== 'boolean') {
      throw new AuthUnavailableError(`token introspection at ${endpoint.href}: not an RFC 7662 response`, {
        retryAfterSeconds,
      });
    }
    return principalFrom(Object.freeze(claims), settings, clock());
  }

  const keyOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
  /** The principal remembered for `key` while it is fresh; a stale entry is dropped. */
  const remembered = (key: string, now: number): Principal | undefined => {
    const hit = cache.get(key);
    if (hit && now < hit.until) return hit.principal;
    if (hit) cache.delete(key);
    return undefined;
  };

  return {
    recall(token: string): Principal | undefined {
      if (token.length === 0 || exceedsBytes(token, settings.maxTokenBytes)) return undefined;
      return remembered(keyOf(token), clock());
    },
    async verify(token: string): Promise<Principal> {
      if (Buffer.byteLength(token, 'utf8') > settings.maxTokenBytes) throw new InvalidTokenError('token too large');
      if (token.length === 0) throw new InvalidTokenError('malformed token');
      const key = keyOf(token);
      const now = clock();
      const known = remembered(key, now);
      if (known) return known;
      const refused = refusals.get(key);
      if (refused && now < refused.until) throw new InvalidTokenError(refused.description);
      if (refused) refusals.delete(key);
      if (!inFlight.has(key) && inFlight.size >= maxConcurrent) {
        throw new AuthUnavailableError(`token introspection: ${maxConcurrent} calls already in flight`, {
          retryAfterSeconds: 1,
        });
      }
      const pending = inFlight.get(key) ?? introspect(token);
      inFlight.set(key, pending);
      try {
        const principal = await pending;
        const until = Math.min(
          principal.expiresAt === undefined ? Infinity : principal.expiresAt * 1000,
          clock() + cacheMs,
        );
        if (until > clock()) remember(cache, key, { principal, until }, maxEntries);
        return principal;
      } catch (error) {
        // A refusal is the same for the same token for a while; a failure to decide (503) is not remembered.
        if (error instanceof InvalidTokenError && refusalMs > 0) {
          remember(refusals, key, { description: error.description, until: clock() + refusalMs }, maxRefusals);
        }
        throw error;
      } finally {
        inFlight.delete(key);
      }
    },
  };
}

/** Insert-ordered map as a bounded FIFO: the oldest entry goes when full. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

function principalFrom(claims: Readonly<Record<string, unknown>>, settings: OAuthSettings, nowMs: number): Principal {
  // RFC 7662 §2.2: "active" is the whole answer; the other members are not trusted when it is false.
  if (claims.active !== true) throw new InvalidTokenError('token is not active');
  if (claims.token_type !== undefined) {
    const type = typeof claims.token_type === 'string' ? claims.token_type.toLowerCase() : '';
    if (type !== 'bearer' && type !== 'access_token') throw new InvalidTokenError('token is not a bearer access token');
  }
  // RFC 8705 §3 / RFC 9449 §6: a sender-constrained token needs a proof this server does not check.
  if (claims.cnf !== undefined) throw new InvalidTokenError('sender-constrained tokens are not accepted');
  if (claims.iss !== undefined && claims.iss !== settings.issuer)
    throw new InvalidTokenError('token issuer not accepted');
  // RFC 8707 §2 and MCP "Token Audience Binding": a token for another resource is refused, and
  // RFC 7662 makes `aud` optional, so its absence must not read as "for everyone".
  if (claims.aud === undefined) {
    if (!settings.introspectionAcceptsMissingAudience) {
      throw new InvalidTokenError(
        `token audience unknown: the introspection answer has no "aud" (RFC 8707); set ${ACCEPT_MISSING_AUD_ENV}=true only if this introspection client is dedicated to this resource`,
      );
    }
  } else {
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => typeof aud === 'string' && settings.audiences.includes(aud))) {
      throw new InvalidTokenError(audienceRefusal(claims.aud));
    }
  }
  const now = nowMs / 1000;
  const tolerance = settings.clockToleranceS;
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
      throw new InvalidTokenError('token has no valid expiry');
    if (claims.exp <= now - tolerance) throw new InvalidTokenError('token expired');
  }
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number' || !Number.isFinite(claims.nbf))
      throw new InvalidTokenError('token claims invalid');
    if (claims.nbf > now + tolerance) throw new InvalidTokenError('token not yet valid');
  }
  return principalFromClaims(claims, 'introspection', settings);
}
