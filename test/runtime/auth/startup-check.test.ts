import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadAuthConfig, type AuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { createTokenVerifier } from '../../../templates/runtime/auth/create-verifier.js';
import { AuthUnavailableError } from '../../../templates/runtime/auth/principal.js';
import {
  checkAuthorizationAtStartup,
  type StartupCheckOptions,
} from '../../../templates/runtime/auth/startup-check.js';
import { json, now, sign, startAuthServer, testKey, type AuthServer, type TestKey } from './support/auth-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const METADATA = '/.well-known/oauth-authorization-server';

let server: AuthServer;
let key: TestKey;
let lines: string[];

const oauth = (env: Record<string, string> = {}): AuthSettings =>
  loadAuthConfig({ OAUTH_ISSUER: server.origin, ...env }, new URL(RESOURCE));
const check = (settings: AuthSettings, options: Partial<StartupCheckOptions> = {}) =>
  checkAuthorizationAtStartup(settings, { log: (line) => lines.push(line), ...options });
const logged = () => lines.map((line) => JSON.parse(line) as { level: string; msg: string; check: string });

beforeAll(async () => {
  server = await startAuthServer();
  key = await testKey('ES256');
});
afterAll(() => server.stop());
beforeEach(() => {
  lines = [];
  server.seen.length = 0;
  server.routes.clear();
  server.routes.set(METADATA, json({ issuer: server.origin, jwks_uri: `${server.origin}/jwks` }));
  server.routes.set('/jwks', json({ keys: [key.jwk] }));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('issuer discovery at start-up', () => {
  it('logs that the check passed after one discovery and one JWKS fetch', async () => {
    const findings = await check(oauth());
    expect(findings).toEqual([
      {
        level: 'info',
        msg: `authorization server check passed: issuer "${server.origin}", JWKS at ${server.origin}/jwks`,
      },
    ]);
    expect(logged()).toEqual([{ ...findings[0], check: 'authorization-startup' }]);
    expect(server.seen.map((r) => r.path)).toEqual([METADATA, '/jwks']);
  });

  it('names both values and the fix for a trailing-slash mismatch (Auth0)', async () => {
    server.routes.set(METADATA, json({ issuer: `${server.origin}/`, jwks_uri: `${server.origin}/jwks` }));
    const findings = await check(oauth());
    expect(findings).toEqual([
      {
        level: 'error',
        msg: `authorization server check: issuer mismatch: OAUTH_ISSUER is "${server.origin}" but the metadata at ${server.origin}${METADATA} says "${server.origin}/"; they must be identical (RFC 8414 §3.3): set OAUTH_ISSUER to "${server.origin}/"; every authenticated request is answered 503 until this works`,
      },
    ]);
    expect(server.hits('/jwks')).toBe(0);
  });

  it('suggests nothing when the metadata names another origin', async () => {
    server.routes.set(METADATA, json({ issuer: 'https://evil.example.com', jwks_uri: `${server.origin}/jwks` }));
    const [finding] = await check(oauth());
    expect(finding?.msg).toContain('says "https://evil.example.com"');
    expect(finding?.msg).toContain('check OAUTH_ISSUER (a document naming another origin is not trusted)');
    expect(finding?.msg).not.toContain('set OAUTH_ISSUER to');
  });

  it('logs an unreachable issuer as an error without crashing', async () => {
    const findings = await check(oauth({ OAUTH_ISSUER: 'http://127.0.0.1:1' }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: 'error' });
    expect(findings[0]?.msg).toMatch(
      /^authorization server check: authorization server metadata at http:\/\/127\.0\.0\.1:1\/\.well-known\/oauth-authorization-server: could not be reached \([^)]+\); every authenticated request is answered 503 until this works$/,
    );
  });

  it('only warns about discovery when OAUTH_JWKS_URI makes it unnecessary, and still checks the JWKS', async () => {
    server.routes.delete(METADATA);
    const findings = await check(oauth({ OAUTH_JWKS_URI: `${server.origin}/jwks` }));
    expect(findings.map((f) => f.level)).toEqual(['warn', 'info']);
    expect(findings[0]?.msg).toMatch(
      /no authorization server metadata .*clients that discover the authorization server will fail$/,
    );
  });

  it('does no network with a static OAUTH_PUBLIC_KEY', async () => {
    expect(await check(oauth({ OAUTH_PUBLIC_KEY: JSON.stringify(key.jwk) }))).toEqual([]);
    expect(server.seen).toHaveLength(0);
  });

  it('reports metadata without jwks_uri', async () => {
    server.routes.set(METADATA, json({ issuer: server.origin }));
    const [finding] = await check(oauth());
    expect(finding?.msg).toBe(
      `authorization server check: the metadata of issuer "${server.origin}" has no jwks_uri; set OAUTH_JWKS_URI`,
    );
  });
});

describe('JWKS at start-up', () => {
  it.each([
    ['down', () => json({ error: 'x' }, 503), () => 'HTTP 503'],
    ['not a key set', () => json({ nope: true }), () => 'not a JSON Web Key Set ({"keys": [...]})'],
    [
      'empty',
      () => json({ keys: [] }),
      () =>
        'no usable signing key (RSA, EC or OKP with use "sig" and an algorithm in OAUTH_ALGORITHMS: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)',
    ],
    [
      'a duplicate kid',
      () => json({ keys: [key.jwk, { ...key.jwk }] }),
      () =>
        `key kid "${key.jwk.kid}": several keys have kid "${key.jwk.kid}" for "ES256"; kid values must be unique (RFC 7517 §4.5)`,
    ],
    [
      'a private key',
      () => json({ keys: [{ ...key.jwk, d: 'AAAA' }] }),
      () => `key kid "${key.jwk.kid}": a private key, published in the key set: remove it and rotate that key`,
    ],
    [
      'an RSA key of 1024 bits',
      () =>
        json({
          keys: [
            { ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }), kid: 'weak' },
          ],
        }),
      () => 'key kid "weak": the key with kid "weak" is RSA with 1024 bits; at least 2048 are needed (RFC 7518 §3.3)',
    ],
    [
      'a point off the curve',
      () => json({ keys: [{ ...key.jwk, x: Buffer.alloc(32, 1).toString('base64url') }] }),
      () => `key kid "${key.jwk.kid}": the key with kid "${key.jwk.kid}" is unusable (DataError)`,
    ],
  ])('logs the precise cause when the JWKS is %s', async (_, route, causeOf) => {
    const cause = causeOf();
    server.routes.set('/jwks', route());
    const findings = await check(oauth());
    expect(findings).toEqual([
      {
        level: 'error',
        msg: `authorization server check: JWKS at ${server.origin}/jwks: ${cause}; JWT requests are answered 503 until this works`,
      },
    ]);
  });

  it('ignores key types and encryption keys that are never used to verify', async () => {
    server.routes.set(
      '/jwks',
      json({
        keys: [
          key.jwk,
          { kty: 'AKP', alg: 'ML-DSA-44', pub: 'AAAA', kid: 'pq' },
          { ...key.jwk, kid: 'enc', use: 'enc', x: 'AAAA' },
        ],
      }),
    );
    expect((await check(oauth())).map((f) => f.level)).toEqual(['info']);
  });
});

describe('fail closed after a failed check', () => {
  it('keeps answering 503 with the same cause, and recovers without a restart once the metadata is fixed', async () => {
    server.routes.set(METADATA, json({ issuer: `${server.origin}/`, jwks_uri: `${server.origin}/jwks` }));
    const settings = oauth();
    await check(settings);
    const verifier = createTokenVerifier(settings as never, { retryAfterMs: 5000 });
    const token = await sign(key, { iss: server.origin, aud: RESOURCE, sub: 'alice', exp: now() + 300 });
    for (let i = 0; i < 2; i++) {
      const error = await verifier.verify(token).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthUnavailableError);
      expect((error as Error).message).toMatch(/^issuer mismatch: OAUTH_ISSUER is .* set OAUTH_ISSUER to/);
    }
    server.routes.set(METADATA, json({ issuer: server.origin, jwks_uri: `${server.origin}/jwks` }));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('never rejects, even when logging throws', async () => {
    await expect(
      checkAuthorizationAtStartup(oauth({ OAUTH_ISSUER: 'http://127.0.0.1:1' }), {
        log: () => {
          throw new Error('log down');
        },
      }),
    ).resolves.toHaveLength(1);
  });
});

describe('roles without a roles claim', () => {
  const tools = [
    { name: 'deletePet', access: { scopes: [['pets:write']], roles: ['vet'] } },
    { name: 'listPets', access: { scopes: [['pets:read']] } },
  ];

  it('warns that role-guarded tools are unreachable when no roles claim is configured', async () => {
    const findings = await check(oauth({ OAUTH_PUBLIC_KEY: JSON.stringify(key.jwk) }), { tools });
    expect(findings).toEqual([
      {
        level: 'warn',
        msg: '1 tool(s) require a role (deletePet) but no roles claim is configured, so no caller can use them: set OAUTH_ROLES_CLAIM (e.g. roles, realm_access.roles, groups)',
      },
    ]);
  });

  it('is quiet when a roles claim is configured', async () => {
    expect(await check(oauth({ OAUTH_PUBLIC_KEY: JSON.stringify(key.jwk) }), { tools, rolesClaim: 'roles' })).toEqual(
      [],
    );
  });

  it('is quiet for API keys, which carry their own roles', async () => {
    const apiKeys = { mode: 'api-key', keysFile: 'k.json', keys: [], maxTokenBytes: 8192 } as const;
    expect(await check(apiKeys, { tools })).toEqual([]);
  });
});
