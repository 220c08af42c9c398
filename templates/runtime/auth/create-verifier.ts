import { createApiKeyVerifier } from './api-keys.js';
import type { ApiKeySettings, OAuthSettings } from './auth-config.js';
import { B64TOKEN } from './b64token.js';
import { createIntrospectionVerifier, type IntrospectionVerifierOptions } from './introspection-verifier.js';
import { createIssuerMetadataSource } from './issuer-metadata.js';
import { COMPACT_JWS, createJwtVerifier, type JwtVerifierOptions } from './jwt-verifier.js';
import { InvalidTokenError, type Principal, type TokenVerifier } from './principal.js';

export type VerifierOptions = Omit<JwtVerifierOptions, 'metadata'> & Omit<IntrospectionVerifierOptions, 'metadata'>;

/**
 * The verifier for the configured mode. For OAuth: a compact JWS goes to
 * the JWT verifier (and only there: a JWT that fails is not retried by
 * introspection); anything else to introspection when configured, else it
 * is refused. Both share one lazy discovery of the issuer metadata.
 */
export function createTokenVerifier(
  settings: OAuthSettings | ApiKeySettings,
  options: VerifierOptions = {},
): TokenVerifier {
  if (settings.mode === 'api-key') return createApiKeyVerifier(settings);
  const metadata = createIssuerMetadataSource(settings.issuer, {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
    allowInsecureHttp: settings.allowInsecureHttp,
  });
  const jwt = createJwtVerifier(settings, { ...options, metadata });
  const introspection = settings.introspection
    ? createIntrospectionVerifier(settings, { ...options, metadata })
    : undefined;
  return {
    // Each verifier recalls only tokens it verified itself, so a JWT is never recalled from introspection's cache.
    recall(token: string): Principal | undefined {
      return jwt.recall?.(token) ?? introspection?.recall?.(token);
    },
    async verify(token: string): Promise<Principal> {
      if (Buffer.byteLength(token, 'utf8') > settings.maxTokenBytes) throw new InvalidTokenError('token too large');
      if (COMPACT_JWS.test(token)) return jwt.verify(token);
      // RFC 6750 §2.1 b64token syntax: nothing else is sent on to the authorization server.
      if (introspection && B64TOKEN.test(token)) return introspection.verify(token);
      throw new InvalidTokenError('malformed token');
    },
  };
}
