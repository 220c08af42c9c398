import { randomUUID } from 'node:crypto';
import type { Route, TestKey } from '../runtime/auth/support/auth-server.js';
import { json, now, sign, startAuthServer, testKey } from '../runtime/auth/support/auth-server.js';

/** How the JWKS endpoint answers. */
export type JwksMode =
  | 'ok'
  /** Connection reset: the issuer is unreachable. */
  | 'down'
  /** HTTP 200 with a body that is not a JSON Web Key Set. */
  | 'garbage'
  /** A set whose only key cannot be imported (RSA modulus of one byte). */
  | 'unusable-key'
  /** The current key twice under one `kid`, the second with other key material (RFC 7517 §4.5 says kids SHOULD differ). */
  | 'duplicate-kid';

/** How the RFC 8414 / OpenID metadata endpoints answer. */
export type MetadataMode = 'ok' | 'down' | { readonly issuer: string };

export interface SwitchableIssuer {
  /** `http://127.0.0.1:<port>`: loopback http is accepted as an issuer. */
  readonly issuer: string;
  jwks: JwksMode;
  metadata: MetadataMode;
  /** Requests the JWKS endpoint received (any mode). */
  readonly jwksHits: () => number;
  /** Signs with a fresh key from now on; earlier keys stay published (RFC 7517 rotation). */
  rotate(): Promise<void>;
  /** The `kid` tokens are signed with now. */
  currentKid(): string;
  /** An RFC 9068 access token (`typ: at+jwt`) for `audience` signed with the current key. */
  token(audience: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * A minimal authorization server for fault tests: metadata and JWKS on 127.0.0.1 whose
 * answers a test switches at will (down, garbage, duplicate kid, another issuer...), and
 * tokens signed here, so every failure mode is one assignment away. Built on the auth unit
 * tests' server, keys and signer (test/runtime/auth/support/auth-server.ts).
 */
export async function startSwitchableIssuer(): Promise<SwitchableIssuer> {
  const keys: TestKey[] = [await testKey('RS256')];
  // Key material of another RSA key, for the duplicate-kid set.
  const otherModulus = (await testKey('RS256')).jwk.n;
  const server = await startAuthServer();
  const origin = server.origin;
  const state: { jwks: JwksMode; metadata: MetadataMode } = { jwks: 'ok', metadata: 'ok' };

  server.routes.set('/jwks', (req, res, body) => {
    if (state.jwks === 'down') return void req.socket.destroy();
    if (state.jwks === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>maintenance</html>');
    const published =
      state.jwks === 'unusable-key'
        ? [{ kty: 'RSA', kid: keys[0]!.kid, alg: 'RS256', use: 'sig', n: 'AQ', e: 'AQAB' }]
        : state.jwks === 'duplicate-kid'
          ? [keys[0]!.jwk, { ...keys.at(-1)!.jwk, kid: keys[0]!.kid, n: otherModulus }]
          : keys.map((key) => key.jwk);
    json({ keys: published })(req, res, body);
  });
  const metadata: Route = (req, res, body) => {
    if (state.metadata === 'down') return void req.socket.destroy();
    const issuer = state.metadata === 'ok' ? origin : state.metadata.issuer;
    json({
      issuer,
      jwks_uri: `${origin}/jwks`,
      token_endpoint: `${origin}/token`,
      response_types_supported: ['code'],
    })(req, res, body);
  };
  server.routes.set('/.well-known/oauth-authorization-server', metadata);
  server.routes.set('/.well-known/openid-configuration', metadata);

  return Object.assign(state, {
    issuer: origin,
    jwksHits: () => server.hits('/jwks'),
    async rotate() {
      keys.unshift(await testKey('RS256'));
    },
    currentKid: () => keys[0]!.kid,
    token(audience: string, claims: Record<string, unknown> = {}) {
      const issuedAt = now();
      // The registered claims come last: a caller's claims cannot override them (as before, with SignJWT's setters).
      return sign(keys[0]!, {
        client_id: 'fault-client',
        scope: 'pets:read',
        ...claims,
        iss: origin,
        aud: audience,
        sub: 'fault-user',
        iat: issuedAt,
        exp: issuedAt + 3600,
        jti: randomUUID(),
      });
    },
    close: () => server.stop(),
  });
}
