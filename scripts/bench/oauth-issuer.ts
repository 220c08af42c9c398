import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';

export interface BenchIssuer {
  /** `OAUTH_ISSUER` (loopback http is allowed for development issuers). */
  readonly issuer: string;
  /** `OAUTH_JWKS_URI`: set, so the server needs no discovery document. */
  readonly jwksUri: string;
  /** An RFC 9068 access token for `audience` carrying `scopes`, valid for an hour. */
  token(audience: string, scopes: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

/** A JWKS on 127.0.0.1 and the ES256 key behind it: enough for a server with MCP_AUTH=oauth to verify real tokens. */
export async function startIssuer(): Promise<BenchIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = `bench-${Date.now()}`;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const server = createServer((req, res) => {
    if (req.url === '/jwks') res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    issuer: base,
    jwksUri: `${base}/jwks`,
    token: (audience, scopes) => sign(privateKey, kid, base, audience, scopes),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function sign(
  key: CryptoKey,
  kid: string,
  issuer: string,
  audience: string,
  scopes: readonly string[],
): Promise<string> {
  // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti; `typ` at+jwt (§2.1).
  return new SignJWT({ client_id: 'bench', scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('bench-user')
    .setIssuedAt()
    .setJti(`jti-${kid}`)
    .setExpirationTime('1h')
    .sign(key);
}
