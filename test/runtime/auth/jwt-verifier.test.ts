import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { createJwtVerifier, type JwtVerifierOptions } from '../../../templates/runtime/auth/jwt-verifier.js';
import { AuthUnavailableError, InvalidTokenError } from '../../../templates/runtime/auth/principal.js';
import {
  b64url,
  json,
  now,
  rejects,
  sign,
  startAuthServer,
  testKey,
  type AuthServer,
  type TestKey,
} from './support/auth-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';

let server: AuthServer;
let rsa: TestKey;
let ec: TestKey;
let jwks: { keys: unknown[] };

function settings(env: Record<string, string> = {}): OAuthSettings {
  return loadAuthConfig(
    { OAUTH_ISSUER: server.origin, OAUTH_JWKS_URI: `${server.origin}/jwks`, ...env },
    new URL(RESOURCE),
  ) as OAuthSettings;
}

const verifier = (env: Record<string, string> = {}, options: JwtVerifierOptions = {}) =>
  createJwtVerifier(settings(env), options);

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: server.origin,
  aud: RESOURCE,
  sub: 'alice',
  client_id: 'app-1',
  scope: 'pets:read pets:write',
  iat: now(),
  exp: now() + 300,
  ...extra,
});

beforeAll(async () => {
  server = await startAuthServer();
  [rsa, ec] = await Promise.all([testKey('RS256'), testKey('ES256')]);
});
afterAll(() => server.stop());
beforeEach(() => {
  jwks = { keys: [rsa.jwk, ec.jwk] };
  server.routes.set('/jwks', (req, res) => json(jwks)(req, res, ''));
  server.seen.length = 0;
});

describe('accepted tokens', () => {
  it.each([
    ['RS256', () => rsa],
    ['ES256', () => ec],
  ])('accepts a valid %s access token and returns its principal', async (_, key) => {
    const token = await sign(key(), claims());
    const principal = await verifier().verify(token);
    expect(principal).toMatchObject({
      subject: 'alice',
      clientId: 'app-1',
      scopes: ['pets:read', 'pets:write'],
      via: 'jwt',
      expiresAt: expect.any(Number),
    });
    expect(principal.claims.sub).toBe('alice');
  });

  it.each([[{ typ: 'at+jwt' }], [{ typ: 'application/at+jwt' }]])('accepts typ %j (RFC 9068 §2.1)', async (header) => {
    const token = await sign(rsa, claims(), header);
    await expect(verifier().verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  // RFC 9068 §4: plain JWTs are refused by default now (jwt-verifier-edges.test.ts has the opt-out).
  it.each([[{ typ: 'JWT' }], [{}]])(
    'refuses typ %j unless OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT is set',
    async (header) => {
      const token = await sign(rsa, claims(), header);
      await rejects(verifier().verify(token), InvalidTokenError, /is not at\+jwt|has no "typ" header/, token);
      await expect(verifier({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true' }).verify(token)).resolves.toMatchObject({
        subject: 'alice',
      });
    },
  );

  it('refuses a JWT of another type (dpop+jwt)', async () => {
    const token = await sign(rsa, claims(), { typ: 'dpop+jwt' });
    await rejects(verifier().verify(token), InvalidTokenError, 'token typ "dpop+jwt" is not at+jwt (RFC 9068)', token);
  });

  it.each([
    ['scp array', { scope: undefined, scp: ['a', 'b'] }, ['a', 'b']],
    ['scp string', { scope: undefined, scp: 'a b' }, ['a', 'b']],
    ['scope with extra spaces', { scope: ' a  b ' }, ['a', 'b']],
    ['no scope at all', { scope: undefined }, []],
  ])('reads scopes from %s', async (_, extra, scopes) => {
    const token = await sign(rsa, claims(extra));
    expect((await verifier().verify(token)).scopes).toEqual(scopes);
  });

  it('refuses a scope claim that is not a string', async () => {
    const token = await sign(rsa, claims({ scope: ['a'] }));
    await rejects(verifier().verify(token), InvalidTokenError, 'token "scope" claim is not a string', token);
  });

  it('takes the client from azp when client_id is absent, and the subject from client_id when sub is absent', async () => {
    const viaAzp = await verifier().verify(await sign(rsa, claims({ client_id: undefined, azp: 'spa' })));
    expect(viaAzp.clientId).toBe('spa');
    const noSub = await verifier().verify(await sign(rsa, claims({ sub: undefined })));
    expect(noSub.subject).toBe('app-1');
  });
});

describe('time', () => {
  it('refuses an expired token', async () => {
    const token = await sign(rsa, claims({ iat: now() - 600, exp: now() - 120 }));
    await rejects(verifier().verify(token), InvalidTokenError, 'token expired', token);
  });

  it('accepts a token expired within the clock tolerance (30 s)', async () => {
    const token = await sign(rsa, claims({ iat: now() - 600, exp: now() - 10 }));
    await expect(verifier().verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('honours a smaller configured tolerance', async () => {
    const token = await sign(rsa, claims({ iat: now() - 600, exp: now() - 10 }));
    await rejects(verifier({ OAUTH_CLOCK_TOLERANCE_S: '0' }).verify(token), InvalidTokenError, 'token expired', token);
  });

  it('refuses a token not yet valid beyond the tolerance', async () => {
    const token = await sign(rsa, claims({ nbf: now() + 120 }));
    await rejects(verifier().verify(token), InvalidTokenError, 'token not yet valid', token);
  });

  it('accepts a token whose nbf is within the tolerance', async () => {
    const token = await sign(rsa, claims({ nbf: now() + 10 }));
    await expect(verifier().verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses a token without exp', async () => {
    const token = await sign(rsa, claims({ exp: undefined }));
    await rejects(verifier().verify(token), InvalidTokenError, 'token has no valid expiry', token);
  });
});

describe('issuer and audience', () => {
  it('refuses a token from another issuer', async () => {
    const token = await sign(rsa, claims({ iss: 'https://evil.example.com' }));
    await rejects(verifier().verify(token), InvalidTokenError, 'token issuer not accepted', token);
  });

  it('refuses a genuine token of the same issuer minted for another resource (RFC 8707)', async () => {
    const token = await sign(rsa, claims({ aud: 'https://other.example.com/mcp' }));
    await rejects(
      verifier().verify(token),
      InvalidTokenError,
      'token audience "https://other.example.com/mcp" is not this resource (OAUTH_AUDIENCE)',
      token,
    );
  });

  it('accepts a token whose aud array names this resource', async () => {
    const token = await sign(rsa, claims({ aud: ['https://other.example.com', RESOURCE] }));
    await expect(verifier().verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('accepts any of the configured OAUTH_AUDIENCE values and nothing else', async () => {
    const v = verifier({ OAUTH_AUDIENCE: 'api://pets, https://pets.example.com' });
    await expect(v.verify(await sign(rsa, claims({ aud: 'api://pets' })))).resolves.toMatchObject({ subject: 'alice' });
    const token = await sign(rsa, claims());
    await rejects(
      v.verify(token),
      InvalidTokenError,
      'token audience "https://mcp.example.com/mcp" is not this resource (OAUTH_AUDIENCE)',
      token,
    );
  });

  it('refuses a sender-constrained token (cnf) it cannot check', async () => {
    const token = await sign(rsa, claims({ cnf: { jkt: 'abc' } }));
    await rejects(verifier().verify(token), InvalidTokenError, 'sender-constrained tokens are not accepted', token);
  });
});

describe('signatures and algorithms', () => {
  it('refuses a token signed by a foreign key with an unknown kid', async () => {
    const foreign = await testKey('RS256');
    const token = await sign(foreign, claims());
    await rejects(verifier().verify(token), InvalidTokenError, 'token signing key unknown', token);
  });

  it('refuses a token signed by a foreign key that reuses a known kid', async () => {
    const foreign = await testKey('RS256', rsa.kid);
    const token = await sign(foreign, claims());
    await rejects(verifier().verify(token), InvalidTokenError, 'token signature invalid', token);
  });

  it('refuses alg "none" (hand-built, empty signature)', async () => {
    const token = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(claims())}.`;
    await rejects(verifier().verify(token), InvalidTokenError, 'token signing algorithm not accepted', token);
  });

  const hs256 = (secret: string, kid?: string) => {
    const input = `${b64url({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64url(claims())}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };

  it.each([
    ['the PEM', () => rsa.pem],
    ['the JWK JSON', () => JSON.stringify(rsa.jwk)],
  ])('refuses HS256 keyed with %s of the public key, with the JWKS', async (_, secret) => {
    const token = hs256(secret(), rsa.kid);
    await rejects(verifier().verify(token), InvalidTokenError, 'token signing algorithm not accepted', token);
  });

  it.each([
    ['the PEM', () => rsa.pem],
    ['the JWK JSON', () => JSON.stringify(rsa.jwk)],
  ])('refuses HS256 keyed with %s of the public key, with a static OAUTH_PUBLIC_KEY', async (_, secret) => {
    const token = hs256(secret());
    const v = createJwtVerifier(settings({ OAUTH_JWKS_URI: '', OAUTH_PUBLIC_KEY: rsa.pem }));
    await rejects(v.verify(token), InvalidTokenError, 'token signing algorithm not accepted', token);
  });

  it('refuses an algorithm left out of OAUTH_ALGORITHMS', async () => {
    const token = await sign(rsa, claims());
    await rejects(
      verifier({ OAUTH_ALGORITHMS: 'ES256' }).verify(token),
      InvalidTokenError,
      'token signing algorithm not accepted',
      token,
    );
  });

  it('does not fetch the JWKS for a token refused by its algorithm', async () => {
    const token = `${b64url({ alg: 'none' })}.${b64url(claims())}.`;
    await expect(verifier().verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(server.hits('/jwks')).toBe(0);
  });
});

describe('static keys', () => {
  it.each([
    ['a PEM with kid in the token', () => rsa.pem],
    ['a PEM with escaped newlines', () => rsa.pem.replace(/\n/g, '\\n')],
    ['a single JWK', () => JSON.stringify(rsa.jwk)],
    ['a JWKS', () => JSON.stringify({ keys: [ec.jwk, rsa.jwk] })],
  ])('verifies with OAUTH_PUBLIC_KEY as %s and no network', async (_, key) => {
    const v = createJwtVerifier(settings({ OAUTH_JWKS_URI: '', OAUTH_PUBLIC_KEY: key() }));
    await expect(v.verify(await sign(rsa, claims()))).resolves.toMatchObject({ subject: 'alice' });
    expect(server.seen).toHaveLength(0);
  });

  it('refuses a token signed by another key under a static key', async () => {
    const foreign = await testKey('RS256', rsa.kid);
    const token = await sign(foreign, claims());
    const v = createJwtVerifier(settings({ OAUTH_JWKS_URI: '', OAUTH_PUBLIC_KEY: rsa.pem }));
    await rejects(v.verify(token), InvalidTokenError, 'token signature invalid', token);
  });
});

describe('malformed and oversized tokens', () => {
  it.each([
    ['one segment', 'abcdef'],
    ['two segments', 'abc.def'],
    ['four segments', 'a.b.c.d'],
    ['characters outside base64url', 'a+b.c/d.e='],
    ['a header that is not JSON', `${b64url('nope')}.${b64url({ sub: 'x' })}.c2ln`],
    ['a payload that is not JSON', `${b64url({ alg: 'RS256' })}.${b64url('nope')}.c2ln`],
    ['an empty string', ''],
  ])('refuses %s as malformed', async (_, token) => {
    const error = await rejects(
      verifier().verify(token),
      InvalidTokenError,
      /^(malformed token|token signature invalid)$/,
      token,
    );
    expect((error as InvalidTokenError).description).toBe(error.message);
  });

  it('refuses an oversized token before parsing or fetching anything', async () => {
    const big = await sign(rsa, claims({ padding: 'x'.repeat(9000) }));
    await rejects(verifier().verify(big), InvalidTokenError, 'token too large', big);
    expect(server.seen).toHaveLength(0);
  });
});

describe('JWKS fetching', () => {
  it('fetches the JWKS once and serves later tokens from its cache', async () => {
    const v = verifier();
    await v.verify(await sign(rsa, claims()));
    await v.verify(await sign(ec, claims()));
    expect(server.hits('/jwks')).toBe(1);
  });

  it('refetches on a new kid after key rotation and accepts the new key', async () => {
    const v = verifier({}, { jwksCooldownMs: 0 });
    await v.verify(await sign(rsa, claims()));
    const rotated = await testKey('ES256');
    jwks = { keys: [rotated.jwk] };
    await expect(v.verify(await sign(rotated, claims()))).resolves.toMatchObject({ subject: 'alice' });
    expect(server.hits('/jwks')).toBe(2);
  });

  it('refetches for unknown kids at most once per cooldown', async () => {
    const v = verifier({}, { jwksCooldownMs: 60_000 });
    await v.verify(await sign(rsa, claims()));
    for (let i = 0; i < 3; i++) {
      await expect(v.verify(await sign(await testKey('RS256'), claims()))).rejects.toBeInstanceOf(InvalidTokenError);
    }
    expect(server.hits('/jwks')).toBe(1);
  });

  it('fails closed while the JWKS server is down and recovers when it is back', async () => {
    // Only Date is faked: the clock stands still unless moved, while sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const v = verifier({}, { retryAfterMs: 5000 });
      const token = await sign(rsa, claims());
      await server.stop();
      try {
        const error = await rejects(
          v.verify(token),
          AuthUnavailableError,
          /^JWKS at http:\/\/127\.0\.0\.1:\d+\/jwks: could not be reached/,
          token,
        );
        expect(error.message).not.toContain('alice');
      } finally {
        await server.start();
      }
      vi.setSystemTime(Date.now() + 4999);
      await rejects(v.verify(token), AuthUnavailableError, /retrying shortly/, token);
      vi.setSystemTime(Date.now() + 1);
      await expect(v.verify(token)).resolves.toMatchObject({ subject: 'alice' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not hammer a failing JWKS: one fetch per retry interval', async () => {
    server.routes.set('/jwks', json({ error: 'down' }, 500));
    const v = verifier({}, { retryAfterMs: 60_000 });
    const token = await sign(rsa, claims());
    await rejects(v.verify(token), AuthUnavailableError, /HTTP 500/, token);
    await rejects(v.verify(token), AuthUnavailableError, /retrying shortly/, token);
    expect(server.hits('/jwks')).toBe(1);
  });

  it('keeps verifying with cached keys while a refetch for an unknown kid fails', async () => {
    const v = verifier({}, { jwksCooldownMs: 0, retryAfterMs: 60_000 });
    await v.verify(await sign(rsa, claims()));
    server.routes.set('/jwks', json({}, 503));
    const unknown = await sign(await testKey('RS256'), claims());
    await rejects(v.verify(unknown), AuthUnavailableError, /HTTP 503/, unknown);
    await expect(v.verify(await sign(rsa, claims()))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('fails closed on a JWKS that is not a key set', async () => {
    server.routes.set('/jwks', json({ nope: true }));
    const token = await sign(rsa, claims());
    await rejects(verifier().verify(token), AuthUnavailableError, /not a JSON Web Key Set/, token);
  });

  it('fails closed on a JWKS larger than its bound', async () => {
    server.routes.set('/jwks', json({ keys: [rsa.jwk], padding: 'x'.repeat(300 * 1024) }));
    const token = await sign(rsa, claims());
    await rejects(verifier().verify(token), AuthUnavailableError, /larger than/, token);
  });
});

describe('discovery of the JWKS URI', () => {
  it('discovers jwks_uri from RFC 8414 metadata on first use, not at creation', async () => {
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({ issuer: server.origin, jwks_uri: `${server.origin}/jwks` }),
    );
    try {
      const v = verifier({ OAUTH_JWKS_URI: '' });
      expect(server.seen).toHaveLength(0);
      await expect(v.verify(await sign(rsa, claims()))).resolves.toMatchObject({ subject: 'alice' });
      expect(server.seen.map((r) => r.path)).toEqual(['/.well-known/oauth-authorization-server', '/jwks']);
    } finally {
      server.routes.delete('/.well-known/oauth-authorization-server');
    }
  });

  it('discovers via OpenID Connect for an issuer with a path', async () => {
    const issuer = `${server.origin}/realms/main`;
    server.routes.set(
      '/realms/main/.well-known/openid-configuration',
      json({ issuer, jwks_uri: `${server.origin}/jwks` }),
    );
    try {
      const v = verifier({ OAUTH_JWKS_URI: '', OAUTH_ISSUER: issuer });
      await expect(v.verify(await sign(rsa, claims({ iss: issuer })))).resolves.toMatchObject({ subject: 'alice' });
    } finally {
      server.routes.delete('/realms/main/.well-known/openid-configuration');
    }
  });

  it('refuses metadata naming another issuer, and fails closed', async () => {
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({ issuer: 'https://evil.example.com', jwks_uri: `${server.origin}/jwks` }),
    );
    try {
      const token = await sign(rsa, claims());
      await rejects(
        verifier({ OAUTH_JWKS_URI: '' }).verify(token),
        AuthUnavailableError,
        /must be identical \(RFC 8414 §3\.3\)/,
        token,
      );
      expect(server.hits('/jwks')).toBe(0);
    } finally {
      server.routes.delete('/.well-known/oauth-authorization-server');
    }
  });

  it('fails closed when metadata has no jwks_uri', async () => {
    server.routes.set('/.well-known/oauth-authorization-server', json({ issuer: server.origin }));
    try {
      const token = await sign(rsa, claims());
      await rejects(
        verifier({ OAUTH_JWKS_URI: '' }).verify(token),
        AuthUnavailableError,
        /has no jwks_uri; set OAUTH_JWKS_URI/,
        token,
      );
    } finally {
      server.routes.delete('/.well-known/oauth-authorization-server');
    }
  });
});
