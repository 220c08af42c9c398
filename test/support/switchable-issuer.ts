import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

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

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

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
 * tokens signed here, so every failure mode is one assignment away.
 */
export async function startSwitchableIssuer(): Promise<SwitchableIssuer> {
  const keys: SigningKey[] = [await newKey()];
  let hits = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/jwks') {
      hits++;
      if (state.jwks === 'down') return void req.socket.destroy();
      if (state.jwks === 'garbage')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>maintenance</html>');
      const published =
        state.jwks === 'unusable-key'
          ? [{ kty: 'RSA', kid: keys[0]!.kid, alg: 'RS256', use: 'sig', n: 'AQ', e: 'AQAB' }]
          : state.jwks === 'duplicate-kid'
            ? [keys[0]!.publicJwk, { ...keys.at(-1)!.publicJwk, kid: keys[0]!.kid, n: otherModulus }]
            : keys.map((key) => key.publicJwk);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
    }
    if (path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration') {
      if (state.metadata === 'down') return void req.socket.destroy();
      const issuer = state.metadata === 'ok' ? origin : state.metadata.issuer;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          jwks_uri: `${origin}/jwks`,
          token_endpoint: `${origin}/token`,
          response_types_supported: ['code'],
        }),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Key material of another RSA key, for the duplicate-kid set.
  const otherModulus = (await newKey()).publicJwk.n;
  const state: { jwks: JwksMode; metadata: MetadataMode } = { jwks: 'ok', metadata: 'ok' };

  return Object.assign(state, {
    issuer: origin,
    jwksHits: () => hits,
    async rotate() {
      keys.unshift(await newKey());
    },
    currentKid: () => keys[0]!.kid,
    async token(audience: string, claims: Record<string, unknown> = {}) {
      const key = keys[0]!;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ client_id: 'fault-client', scope: 'pets:read', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
        .setIssuer(origin)
        .setAudience(audience)
        .setSubject('fault-user')
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .setJti(randomUUID())
        .sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}
