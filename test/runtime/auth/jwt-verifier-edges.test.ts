import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { createJwtVerifier } from '../../../templates/runtime/auth/jwt-verifier.js';
import { AuthUnavailableError, InvalidTokenError } from '../../../templates/runtime/auth/principal.js';
import { ConfigError } from '../../../templates/runtime/config/config-error.js';
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
let jwks: { keys: unknown[] };

const settings = (env: Record<string, string> = {}) =>
  loadAuthConfig(
    { OAUTH_ISSUER: server.origin, OAUTH_JWKS_URI: `${server.origin}/jwks`, ...env },
    new URL(RESOURCE),
  ) as OAuthSettings;
const verifier = (env: Record<string, string> = {}) => createJwtVerifier(settings(env), { retryAfterMs: 7000 });
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: server.origin,
  aud: RESOURCE,
  sub: 'alice',
  iat: now(),
  exp: now() + 300,
  ...extra,
});

/** An RS256 token signed by node's crypto directly (jose refuses to sign with RSA keys under 2048 bits). */
function rawRs256(
  privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'],
  header: Record<string, unknown>,
  payload: unknown,
): string {
  const input = `${b64url({ alg: 'RS256', typ: 'at+jwt', ...header })}.${b64url(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

beforeAll(async () => {
  server = await startAuthServer();
  rsa = await testKey('RS256');
});
afterAll(() => server.stop());
beforeEach(() => {
  jwks = { keys: [rsa.jwk] };
  server.routes.set('/jwks', (req, res) => json(jwks)(req, res, ''));
  server.seen.length = 0;
});

describe('typ (RFC 9068 §4)', () => {
  it.each(['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt'])('accepts typ %j', async (typ) => {
    await expect(verifier().verify(await sign(rsa, claims(), { typ }))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses typ "JWT", naming the value and the opt-out', async () => {
    const token = await sign(rsa, claims(), { typ: 'JWT' });
    await rejects(
      verifier().verify(token),
      InvalidTokenError,
      'token typ "JWT" is not at+jwt (RFC 9068); set OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT=true to accept it',
      token,
    );
  });

  it('refuses a token without typ, naming the opt-out', async () => {
    const token = await sign(rsa, claims(), {});
    await rejects(
      verifier().verify(token),
      InvalidTokenError,
      /^token has no "typ" header.*OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT=true/,
      token,
    );
  });

  it.each([[{ typ: 'JWT' }], [{ typ: 'application/jwt' }], [{}]])(
    'accepts %j with OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT=true',
    async (header) => {
      const v = verifier({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true' });
      await expect(v.verify(await sign(rsa, claims(), header))).resolves.toMatchObject({ subject: 'alice' });
    },
  );

  it.each(['dpop+jwt', 'logout+jwt', 'secevent+jwt'])(
    'refuses typ %j even with the opt-out, and names it',
    async (typ) => {
      const token = await sign(rsa, claims(), { typ });
      await rejects(
        verifier({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true' }).verify(token),
        InvalidTokenError,
        `token typ "${typ}" is not at+jwt (RFC 9068)`,
        token,
      );
    },
  );

  it('refuses a typ that is not a string', async () => {
    const token = await sign(rsa, claims(), { typ: 7 });
    await rejects(verifier().verify(token), InvalidTokenError, 'token "typ" header is not a string', token);
  });

  it('quotes a hostile typ only as short printable ASCII', async () => {
    const token = await sign(rsa, claims(), { typ: `x"\r\nSet-Cookie: a=b${'y'.repeat(80)}` });
    const error = await rejects(
      verifier().verify(token),
      InvalidTokenError,
      /^token typ "x\?\?\?Set-Cookie: a=by+\.\.\." is not at\+jwt/,
      token,
    );
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message.length).toBeLessThan(120);
  });

  it('tells a forged token of the wrong type only that its signature is wrong', async () => {
    const forger = await testKey('RS256', rsa.kid);
    const token = await sign(forger, claims(), { typ: 'JWT' });
    await rejects(verifier().verify(token), InvalidTokenError, 'token signature invalid', token);
  });
});

describe('iat (RFC 7519 §4.1.6)', () => {
  it('refuses a token issued beyond the clock tolerance in the future, naming the value', async () => {
    const iat = now() + 3600;
    const token = await sign(rsa, claims({ iat, exp: iat + 300 }));
    await rejects(
      verifier().verify(token),
      InvalidTokenError,
      new RegExp(`^token "iat" ${iat} is 3[56]\\d\\d s in the future \\(clock tolerance 30 s\\)$`),
      token,
    );
  });

  it('accepts a token issued in the future within the clock tolerance', async () => {
    const token = await sign(rsa, claims({ iat: now() + 10 }));
    await expect(verifier().verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('honours a smaller configured tolerance', async () => {
    const token = await sign(rsa, claims({ iat: now() + 10 }));
    await rejects(
      verifier({ OAUTH_CLOCK_TOLERANCE_S: '0' }).verify(token),
      InvalidTokenError,
      /^token "iat" \d+ is (9|10) s in the future/,
      token,
    );
  });
});

describe("a key set the server cannot use is a 503, not the token's fault", () => {
  it('answers a duplicate kid with AuthUnavailableError, Retry-After and the jose error as cause', async () => {
    const twin = await testKey('RS256', rsa.kid);
    jwks = { keys: [twin.jwk, rsa.jwk] };
    const token = await sign(rsa, claims());
    const error = (await rejects(
      verifier().verify(token),
      AuthUnavailableError,
      `JWKS of issuer "${server.origin}": several keys have kid "${rsa.kid}" for "RS256"; kid values must be unique (RFC 7517 §4.5)`,
      token,
    )) as AuthUnavailableError;
    expect(error.code).toBe('unavailable');
    expect(error.retryAfterSeconds).toBe(7);
    expect((error.cause as Error).name).toBe('JWKSMultipleMatchingKeys');
  });

  it('fetches the set anew once the retry pause is over, so a fixed JWKS is used without a restart', async () => {
    const twin = await testKey('RS256', rsa.kid);
    jwks = { keys: [twin.jwk, rsa.jwk] };
    const token = await sign(rsa, claims());
    let clock = Date.now();
    const realNow = Date.now;
    Date.now = () => clock;
    try {
      const v = verifier();
      await expect(v.verify(token)).rejects.toBeInstanceOf(AuthUnavailableError);
      const fetches = server.hits('/jwks');
      jwks = { keys: [rsa.jwk] }; // the operator removes the twin
      // Within the pause: still 503, and no refetch (a bad set does not amplify into fetches).
      await expect(v.verify(token)).rejects.toBeInstanceOf(AuthUnavailableError);
      expect(server.hits('/jwks')).toBe(fetches);
      clock += 7001;
      await expect(v.verify(token)).resolves.toMatchObject({ subject: 'alice' });
    } finally {
      Date.now = realNow;
    }
  });

  it('answers an RSA key under 2048 bits with AuthUnavailableError', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    jwks = { keys: [{ ...weak.publicKey.export({ format: 'jwk' }), kid: 'weak', alg: 'RS256', use: 'sig' }] };
    const token = rawRs256(weak.privateKey, { kid: 'weak' }, claims());
    const error = (await rejects(
      verifier().verify(token),
      AuthUnavailableError,
      /the key with kid "weak" is RSA with 1024 bits; at least 2048/,
      token,
    )) as AuthUnavailableError;
    expect(error.retryAfterSeconds).toBe(7);
  });

  it('answers a key that cannot be imported with AuthUnavailableError', async () => {
    const ec = await testKey('ES256');
    // A point that is not on the P-256 curve.
    jwks = { keys: [{ ...ec.jwk, x: Buffer.alloc(32, 1).toString('base64url') }] };
    const token = await sign(ec, claims());
    const error = await rejects(
      verifier().verify(token),
      AuthUnavailableError,
      new RegExp(`^JWKS of issuer "[^"]+": the key with kid "${ec.kid}" is unusable`),
      token,
    );
    expect(error.cause).toBeDefined();
  });

  it('answers a private key published in the JWKS with AuthUnavailableError', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    jwks = { keys: [{ ...pair.privateKey.export({ format: 'jwk' }), kid: 'leaked', alg: 'RS256' }] };
    const token = rawRs256(pair.privateKey, { kid: 'leaked' }, claims());
    await rejects(verifier().verify(token), AuthUnavailableError, /the key with kid "leaked" is unusable/, token);
  });

  it("still answers a kid the set does not hold with 401 (the token's problem)", async () => {
    const token = await sign(await testKey('RS256'), claims());
    await rejects(verifier().verify(token), InvalidTokenError, 'token signing key unknown', token);
  });

  it('still answers a token without kid, when several keys fit, with 401', async () => {
    jwks = { keys: [rsa.jwk, (await testKey('RS256')).jwk] };
    const token = await new (await import('jose')).SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .sign(rsa.privateKey);
    await rejects(verifier().verify(token), InvalidTokenError, 'token signing key ambiguous', token);
  });

  it('refuses a static OAUTH_PUBLIC_KEY set with a duplicate kid at start-up', async () => {
    const twin = await testKey('RS256', rsa.kid);
    const load = () =>
      settings({ OAUTH_JWKS_URI: '', OAUTH_PUBLIC_KEY: JSON.stringify({ keys: [rsa.jwk, twin.jwk] }) });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`kid "${rsa.kid}" appears more than once`);
  });

  it('refuses a static RSA key under 2048 bits at start-up', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = weak.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => settings({ OAUTH_JWKS_URI: '', OAUTH_PUBLIC_KEY: pem })).toThrow(
      /RSA key of 1024 bits, at least 2048/,
    );
  });
});
