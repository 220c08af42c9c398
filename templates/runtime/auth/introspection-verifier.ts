import { clientSecretBasic } from '../http/client-secret-basic.js';
import { createHash } from 'node:crypto';
import type { OAuthSettings } from './auth-config.js';
import { fetchBounded, jsonObject } from './fetch-bounded.js';
import { createIssuerMetadataSource, type IssuerMetadataSource } from './issuer-metadata.js';
import { AuthUnavailableError, InvalidTokenError, type Principal, type TokenVerifier } from './principal.js';
import { principalFromClaims } from './token-claims.js';

export interface IntrospectionVerifierOptions {
  /** Shared with the JWT verifier so that discovery runs once. */
  readonly metadata?: IssuerMetadataSource;
  readonly timeoutMs?: number;
  /** Upper bound of a cached answer's life; default 60 s (revocation is noticed within this). */
  readonly cacheSeconds?: number;
  readonly maxCacheEntries?: number;
  readonly retryAfterMs?: number;
}

interface CacheEntry {
  readonly principal: Principal;
  readonly until: number;
}

/**
 * RFC 7662 token introspection for opaque tokens: POST `token` and
 * `token_type_hint=access_token` with client_secret_basic (RFC 6749
 * §2.3.1). Refuses inactive tokens, an `iss` other than OAUTH_ISSUER, an
 * `aud` not naming this server (RFC 8707), expired or not-yet-valid tokens,
 * non-bearer types and sender-constrained tokens (`cnf`, which this server
 * cannot check). Active answers are cached under the token's SHA-256 (never
 * the token) until min(exp, 60 s). Does not check scopes or roles.
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
  const metadata =
    options.metadata ??
    createIssuerMetadataSource(settings.issuer, {
      timeoutMs,
      retryAfterMs: options.retryAfterMs ?? 5000,
      allowInsecureHttp: settings.allowInsecureHttp,
    });
  const authorization = clientSecretBasic(client.clientId, client.clientSecret);
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<Principal>>();

  async function introspect(token: string): Promise<Principal> {
    const endpoint = client!.url ?? (await metadata.get()).introspectionEndpoint;
    if (!endpoint) {
      throw new AuthUnavailableError(
        `the metadata of issuer "${settings.issuer}" has no introspection_endpoint; set OAUTH_INTROSPECTION_URL`,
      );
    }
    const response = await fetchBounded(
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
      throw new AuthUnavailableError(`token introspection at ${endpoint.href}: HTTP ${response.status}`);
    const claims = jsonObject(response.body);
    if (!claims || typeof claims.active !== 'boolean') {
      throw new AuthUnavailableError(`token introspection at ${endpoint.href}: not an RFC 7662 response`);
    }
    return principalFrom(Object.freeze(claims), settings);
  }

  return {
    async verify(token: string): Promise<Principal> {
      if (Buffer.byteLength(token, 'utf8') > settings.maxTokenBytes) throw new InvalidTokenError('token too large');
      if (token.length === 0) throw new InvalidTokenError('malformed token');
      const key = createHash('sha256').update(token, 'utf8').digest('hex');
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && now < hit.until) return hit.principal;
      if (hit) cache.delete(key);
      const pending = inFlight.get(key) ?? introspect(token);
      inFlight.set(key, pending);
      try {
        const principal = await pending;
        // Only active answers are cached: junk tokens must not push out real ones.
        const until = Math.min(
          principal.expiresAt === undefined ? Infinity : principal.expiresAt * 1000,
          Date.now() + cacheMs,
        );
        if (until > Date.now()) {
          cache.set(key, { principal, until });
          if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
        }
        return principal;
      } finally {
        inFlight.delete(key);
      }
    },
  };
}

function principalFrom(claims: Readonly<Record<string, unknown>>, settings: OAuthSettings): Principal {
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
  if (claims.aud !== undefined) {
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    // RFC 8707 §2 and MCP "Token Audience Binding": a token for another resource is refused.
    if (!audiences.some((aud) => typeof aud === 'string' && settings.audiences.includes(aud))) {
      throw new InvalidTokenError('token audience is not this resource');
    }
  }
  const now = Date.now() / 1000;
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
  return principalFromClaims(claims, 'introspection');
}
