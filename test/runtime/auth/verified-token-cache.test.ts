import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { createJwtVerifier } from '../../../templates/runtime/auth/jwt-verifier.js';
import { InvalidTokenError, type Principal } from '../../../templates/runtime/auth/principal.js';
import { createVerifiedTokenCache } from '../../../templates/runtime/auth/verified-token-cache.js';
import { json, sign, startAuthServer, testKey, type AuthServer, type TestKey } from './support/auth-server.js';

const principal = (subject: string): Principal => ({ subject, scopes: [], claims: {}, via: 'jwt' });

describe('the verified-token cache', () => {
  const clock = { ms: 1_000_000_000_000 };
  const cache = (options: { maxEntries?: number; maxAgeMs?: number } = {}) =>
    createVerifiedTokenCache({ ...options, now: () => clock.ms });
  const inSeconds = (s: number) => clock.ms / 1000 + s;

  it('returns the principal of a token verified before', () => {
    const c = cache();
    const alice = principal('alice');
    c.set('token-a', alice, inSeconds(300));
    expect(c.get('token-a')).toBe(alice);
    expect(c.get('token-b')).toBeUndefined();
  });

  it('forgets a token at its exp, whatever the clock tolerance', () => {
    const c = cache({ maxAgeMs: 600_000 });
    c.set('token-a', principal('alice'), inSeconds(10));
    clock.ms += 9_999;
    expect(c.get('token-a')).toBeDefined();
    clock.ms += 1;
    expect(c.get('token-a')).toBeUndefined();
  });

  it('verifies a long-lived token again after maxAgeMs', () => {
    const c = cache({ maxAgeMs: 60_000 });
    c.set('token-a', principal('alice'), inSeconds(3600));
    clock.ms += 60_000;
    expect(c.get('token-a')).toBeUndefined();
  });

  it('does not keep a token that has already expired', () => {
    const c = cache();
    c.set('token-a', principal('alice'), inSeconds(-1));
    expect(c.get('token-a')).toBeUndefined();
  });

  it('drops the least recently used token when full (recency kept to the second)', () => {
    const c = cache({ maxEntries: 2 });
    c.set('a', principal('a'), inSeconds(300));
    c.set('b', principal('b'), inSeconds(300));
    clock.ms += 1000;
    expect(c.get('a')?.subject).toBe('a'); // a is now the most recently used
    c.set('c', principal('c'), inSeconds(300));
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')?.subject).toBe('a');
    expect(c.get('c')?.subject).toBe('c');
  });

  it('moves a token used again within the same second no further (no reordering per request)', () => {
    const c = cache({ maxEntries: 2 });
    c.set('a', principal('a'), inSeconds(300));
    c.set('b', principal('b'), inSeconds(300));
    clock.ms += 999;
    expect(c.get('a')?.subject).toBe('a');
    c.set('c', principal('c'), inSeconds(300));
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')?.subject).toBe('b');
  });
});

describe('the JWT verifier with its cache', () => {
  const RESOURCE = 'https://mcp.example.com/mcp';
  let server: AuthServer;
  let rsa: TestKey;

  beforeAll(async () => {
    server = await startAuthServer();
    rsa = await testKey('RS256');
    server.routes.set('/jwks', (req, res) => json({ keys: [rsa.jwk] })(req, res, ''));
  });
  afterAll(() => server.stop());
  afterEach(() => vi.useRealTimers());

  const settings = () =>
    loadAuthConfig(
      { OAUTH_ISSUER: server.origin, OAUTH_JWKS_URI: `${server.origin}/jwks` },
      new URL(RESOURCE),
    ) as OAuthSettings;
  const token = (lifetimeS: number) => {
    const now = Math.floor(Date.now() / 1000);
    return sign(rsa, { iss: server.origin, aud: RESOURCE, sub: 'alice', iat: now, exp: now + lifetimeS });
  };

  it('answers a token it verified before from the cache, and verifies every time without it', async () => {
    const t = await token(300);
    const cached = createJwtVerifier(settings());
    expect(await cached.verify(t)).toBe(await cached.verify(t));
    const uncached = createJwtVerifier(settings(), { cache: false });
    expect(await uncached.verify(t)).not.toBe(await uncached.verify(t));
  });

  it('refuses a cached token once it has expired (past the clock tolerance)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t = await token(20);
    const verifier = createJwtVerifier(settings());
    await verifier.verify(t);
    vi.setSystemTime(Date.now() + (20 + 30 + 1) * 1000);
    await expect(verifier.verify(t)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('recalls a token without a promise only after verifying it, as the very principal verify returned', async () => {
    const t = await token(300);
    const verifier = createJwtVerifier(settings());
    expect(verifier.recall?.(t)).toBeUndefined();
    const principal = await verifier.verify(t);
    expect(verifier.recall?.(t)).toBe(principal);
    // Another token, even one differing in its signature's last character, is not recalled.
    expect(verifier.recall?.(`${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(createJwtVerifier(settings(), { cache: false }).recall?.(t)).toBeUndefined();
  });

  it('stops recalling a token at its expiry, so verify refuses it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t = await token(20);
    const verifier = createJwtVerifier(settings());
    await verifier.verify(t);
    vi.setSystemTime(Date.now() + 21 * 1000);
    expect(verifier.recall?.(t)).toBeUndefined();
  });

  it('recalls nothing of an oversized token', () => {
    const verifier = createJwtVerifier(settings());
    expect(verifier.recall?.(`a.${'b'.repeat(20_000)}.c`)).toBeUndefined();
  });

  it('still refuses a malformed or oversized token (the size bound comes before the cache; a cached token is that exact well-formed string)', async () => {
    const verifier = createJwtVerifier(settings());
    await expect(verifier.verify('not-a-jwt')).rejects.toThrow(/malformed token/);
    await expect(verifier.verify(`a.${'b'.repeat(20_000)}.c`)).rejects.toThrow(/too large/);
  });
});
