import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type FetchImplementation,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { KeyObject } from 'node:crypto';
import { checkAccessTokenType } from './access-token-type.js';
import { audienceRefusal, checkAudienceOrClientId, checkTokenUse } from './audience-binding.js';
import type { OAuthSettings } from './auth-config.js';
import { fetchFromAuthServer } from './fetch-from-auth-server.js';
import { jsonObject } from '../http/fetch-bounded.js';
import { createIssuerMetadataSource, type IssuerMetadataSource } from './issuer-metadata.js';
import { AuthUnavailableError, InvalidTokenError, type Principal, type TokenVerifier } from './principal.js';
import { guardKeySelection } from './key-selection.js';
import { principalFromClaims } from './token-claims.js';
import { exceedsBytes } from './token-size.js';
import { createVerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token-cache.js';

export interface JwtVerifierOptions {
  /** Shared with the introspection verifier so that discovery runs once. */
  readonly metadata?: IssuerMetadataSource;
  /** Minimum time between JWKS refetches for an unknown `kid` (jose's cooldown); default 30 s. */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are trusted without a refetch; default 10 min. */
  readonly jwksMaxAgeMs?: number;
  /** After a failed discovery or JWKS fetch, the next attempt waits this long; default 5 s. */
  readonly retryAfterMs?: number;
  readonly timeoutMs?: number;
  /** Verified tokens remembered per token hash (`verified-token-cache.ts`); `false`: verify every request. */
  readonly cache?: VerifiedTokenCacheOptions | false;
}

/** Compact JWS: three base64url segments; an empty signature is let through to be refused by the algorithm check. */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Verifies JWT access tokens (RFC 9068 profile, RFC 8725 practices):
 * signature with a key from the JWKS (or the static key), `alg` from the
 * asymmetric allow-list, `iss` equal to OAUTH_ISSUER, `aud` bound to this
 * server (RFC 8707; with OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE an
 * audience-less access token of a listed client, checked right after jose),
 * `exp` required, `nbf` honoured and `iat` not in the future, with clock
 * tolerance, `typ` `at+jwt` (RFC 9068 §4; plain JWTs only with
 * OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT), no Cognito `token_use` other than
 * `access`, no `cnf` (sender-constrained tokens need a proof this server
 * does not check). Scopes are read as OAUTH_SCOPES_CLAIM and
 * OAUTH_GRANTED_SCOPE_PREFIX say (token-claims.ts). A key set the server
 * cannot use (duplicate kid, unusable key) is a 503, not the token's fault.
 * Does not check scopes or roles (the guard does) and does not check
 * revocation (use introspection).
 */
export function createJwtVerifier(settings: OAuthSettings, options: JwtVerifierOptions = {}): TokenVerifier {
  const key = settings.publicKey;
  const selection = { issuer: settings.issuer, retryAfterSeconds: retryAfterSeconds(options) };
  let getKey: KeyObject | JWTVerifyGetKey;
  if (key === undefined) {
    const remote = remoteKeys(settings, options);
    // An unusable remote set is fetched anew after the retry pause, not trusted until it ages out.
    getKey = guardKeySelection(remote.getKey, { ...selection, onUnusable: remote.forget });
  } else if (key.kind === 'key') {
    getKey = key.key;
  } else {
    getKey = guardKeySelection(createLocalJWKSet(key.jwks), selection);
  }
  // With a client-id binding configured, jose cannot express "aud, or else client_id": the audience is checked after it.
  const bindsClientIds = settings.clientIdAudiences !== undefined && settings.clientIdAudiences.length > 0;
  const verifyOptions: JWTVerifyOptions = {
    issuer: settings.issuer,
    ...(bindsClientIds ? {} : { audience: [...settings.audiences] }),
    algorithms: [...settings.algorithms],
    clockTolerance: settings.clockToleranceS,
    requiredClaims: ['exp'],
  };
  const cache = options.cache === false ? undefined : createVerifiedTokenCache(options.cache);
  return {
    recall(token: string): Principal | undefined {
      // The same bound as `verify`: nothing of an oversized token is hashed.
      if (cache === undefined || exceedsBytes(token, settings.maxTokenBytes)) return undefined;
      return cache.get(token);
    },
    async verify(token: string): Promise<Principal> {
      // Size first: nothing of an oversized token is decoded.
      if (Buffer.byteLength(token, 'utf8') > settings.maxTokenBytes) throw new InvalidTokenError('token too large');
      // A token verified before is this very string, well-formed: its hash is looked up (bounded
      // by the size check) before the syntax regex runs over it again.
      const known = cache?.get(token);
      if (known) return known;
      if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed token');
      let payload: JWTPayload;
      let typ: unknown;
      try {
        const verified =
          typeof getKey === 'function'
            ? await jwtVerify(token, getKey, verifyOptions)
            : await jwtVerify(token, getKey, verifyOptions);
        payload = verified.payload;
        typ = verified.protectedHeader.typ;
      } catch (error) {
        if (error instanceof AuthUnavailableError) throw error;
        // jose's errors carry the payload: only a fixed description (and a refused audience) leaves this function.
        throw new InvalidTokenError(describe(error), { cause: error });
      }
      if (bindsClientIds) checkAudienceOrClientId(payload, typ, settings);
      checkAccessTokenType(typ, settings.acceptPlainJwt);
      checkTokenUse(payload);
      // RFC 8705 §3 / RFC 9449 §6: a sender-constrained token needs a proof this server does not check.
      if (payload.cnf !== undefined) throw new InvalidTokenError('sender-constrained tokens are not accepted');
      checkIssuedAt(payload, settings.clockToleranceS);
      const principal = principalFromClaims(Object.freeze({ ...payload }), 'jwt', settings);
      // jose required a numeric `exp`: the token is remembered until then at the latest.
      if (typeof payload.exp === 'number') cache?.set(token, principal, payload.exp);
      return principal;
    },
  };
}

/**
 * RFC 7519 §4.1.6: `iat` is when the token was issued; one issued further in
 * the future than the clock tolerance comes from a wrong clock or a forger
 * who wants a long life. jose checks `iat` only with `maxTokenAge`.
 */
function checkIssuedAt(payload: JWTPayload, toleranceS: number): void {
  const { iat } = payload;
  if (iat === undefined) return;
  const now = Math.floor(Date.now() / 1000);
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    throw new InvalidTokenError('token "iat" claim is not a number');
  if (iat > now + toleranceS) {
    throw new InvalidTokenError(
      `token "iat" ${Math.floor(iat)} is ${Math.floor(iat - now)} s in the future (clock tolerance ${toleranceS} s)`,
    );
  }
}

function retryAfterSeconds(options: JwtVerifierOptions): number {
  return Math.max(1, Math.ceil((options.retryAfterMs ?? 5000) / 1000));
}

/**
 * Keys from the JWKS URL (configured or discovered on first use). jose
 * caches them and refetches on an unknown `kid` at most once per cooldown.
 * A failed fetch fails closed (503) and holds further fetches for
 * `retryAfterMs`; keys already fetched and still fresh keep working meanwhile.
 * `forget` drops a set that proved unusable (duplicate kid, bad key): the
 * next request after `retryAfterMs` fetches it again, so an operator's fix
 * is picked up without a restart and a bad set cannot amplify into fetches.
 */
function remoteKeys(
  settings: OAuthSettings,
  options: JwtVerifierOptions,
): { getKey: JWTVerifyGetKey; forget: () => void } {
  const retryAfterMs = options.retryAfterMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const metadata =
    options.metadata ??
    createIssuerMetadataSource(settings.issuer, {
      retryAfterMs,
      timeoutMs,
      allowInsecureHttp: settings.allowInsecureHttp,
    });
  let failure: { at: number; message: string } | undefined;
  let remote: JWTVerifyGetKey | undefined;

  const fetchJwks: FetchImplementation = async (href, init) => {
    if (failure && Date.now() - failure.at < retryAfterMs) {
      throw new AuthUnavailableError(`${failure.message} (retrying shortly)`);
    }
    const url = new URL(href);
    try {
      const response = await fetchFromAuthServer(
        'JWKS',
        url,
        { method: 'GET', headers: init.headers },
        {
          timeoutMs,
          maxBytes: 256 * 1024,
          signal: init.signal,
        },
      );
      if (response.status !== 200) throw new AuthUnavailableError(`JWKS at ${url.href}: HTTP ${response.status}`);
      const jwks = jsonObject(response.body);
      if (!jwks || !Array.isArray(jwks.keys))
        throw new AuthUnavailableError(`JWKS at ${url.href}: not a JSON Web Key Set`);
      failure = undefined;
      return new Response(JSON.stringify(jwks), { status: 200, headers: { 'content-type': 'application/json' } });
    } catch (error) {
      const unavailable =
        error instanceof AuthUnavailableError
          ? error
          : new AuthUnavailableError(`JWKS at ${url.href}: failed`, { cause: error });
      failure = { at: Date.now(), message: unavailable.message };
      throw unavailable;
    }
  };

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!remote) {
      const jwksUri = settings.jwksUri ?? (await metadata.get()).jwksUri;
      if (!jwksUri)
        throw new AuthUnavailableError(
          `the metadata of issuer "${settings.issuer}" has no jwks_uri; set OAUTH_JWKS_URI`,
        );
      remote = createRemoteJWKSet(jwksUri, {
        timeoutDuration: timeoutMs,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
        [customFetch]: fetchJwks,
      });
    }
    // Unusable keys and duplicate kids are told apart from an unknown kid by guardKeySelection.
    return remote(header, token);
  };
  const forget = () => {
    remote = undefined;
    failure = { at: Date.now(), message: 'the key set was unusable' };
  };
  return { getKey, forget };
}

/**
 * A short, fixed description per failure: never the token, its other claims or jose's message.
 * The one exception is the audience a signature-verified token carried, shown through `shown`,
 * because "which audience did it have?" is the first question every misconfiguration raises.
 */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'token issuer not accepted';
    // RFC 8707 / MCP "Token Audience Binding": a token for another resource is refused.
    if (error.claim === 'aud') return audienceRefusal(error.payload.aud);
    if (error.claim === 'nbf') return 'token not yet valid';
    if (error.claim === 'exp') return 'token has no valid expiry';
    if (error.claim === 'iat') return 'token issued-at time invalid';
    return 'token claims invalid';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token signing algorithm not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token signing key unknown';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'token signing key ambiguous';
  if (error instanceof errors.JOSENotSupported) return 'token algorithm or key not supported';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed token';
  if (error instanceof InvalidTokenError) return error.description;
  return 'invalid token';
}
