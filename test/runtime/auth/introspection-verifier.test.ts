import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import {
  createIntrospectionVerifier,
  type IntrospectionVerifierOptions,
} from '../../../templates/runtime/auth/introspection-verifier.js';
import { AuthUnavailableError, InvalidTokenError } from '../../../templates/runtime/auth/principal.js';
import { json, now, rejects, startAuthServer, type AuthServer } from './support/auth-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const CLIENT_ID = 'mcp server';
const CLIENT_SECRET = 'p@ss:wörd';

let server: AuthServer;
/** What the introspection endpoint answers, by token. */
let answers: Map<string, Record<string, unknown>>;

function settings(env: Record<string, string> = {}): OAuthSettings {
  return loadAuthConfig(
    {
      OAUTH_ISSUER: server.origin,
      OAUTH_INTROSPECTION_URL: `${server.origin}/introspect`,
      OAUTH_INTROSPECTION_CLIENT_ID: CLIENT_ID,
      OAUTH_INTROSPECTION_CLIENT_SECRET: CLIENT_SECRET,
      ...env,
    },
    new URL(RESOURCE),
  ) as OAuthSettings;
}

const verifier = (env: Record<string, string> = {}, options: IntrospectionVerifierOptions = {}) =>
  createIntrospectionVerifier(settings(env), options);

const active = (extra: Record<string, unknown> = {}) => ({
  active: true,
  iss: server.origin,
  aud: RESOURCE,
  sub: 'alice',
  client_id: 'app-1',
  scope: 'pets:read',
  token_type: 'Bearer',
  exp: now() + 600,
  ...extra,
});

beforeAll(async () => {
  server = await startAuthServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  answers = new Map();
  server.seen.length = 0;
  server.routes.set('/introspect', (req, res, body) => {
    const form = new URLSearchParams(body);
    const expected = `Basic ${Buffer.from('mcp+server:p%40ss%3Aw%C3%B6rd').toString('base64')}`;
    if (req.headers.authorization !== expected) return json({ error: 'invalid_client' }, 401)(req, res, body);
    if (form.get('token_type_hint') !== 'access_token') return json({ error: 'invalid_request' }, 400)(req, res, body);
    json(answers.get(form.get('token') ?? '') ?? { active: false })(req, res, body);
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RFC 7662 introspection', () => {
  it('accepts an active token and returns its principal', async () => {
    answers.set('opaque-token-1', active());
    const principal = await verifier().verify('opaque-token-1');
    expect(principal).toMatchObject({
      subject: 'alice',
      clientId: 'app-1',
      scopes: ['pets:read'],
      via: 'introspection',
    });
    const [request] = server.seen;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      token: 'opaque-token-1',
      token_type_hint: 'access_token',
    });
  });

  it('refuses an inactive token', async () => {
    await rejects(verifier().verify('revoked-token-1'), InvalidTokenError, 'token is not active', 'revoked-token-1');
  });

  it.each([
    [
      'another audience (RFC 8707)',
      { aud: 'https://other.example.com/mcp' },
      'token audience "https://other.example.com/mcp" is not this resource (OAUTH_AUDIENCE)',
    ],
    ['another issuer', { iss: 'https://evil.example.com' }, 'token issuer not accepted'],
    ['an expiry in the past', { exp: now() - 120 }, 'token expired'],
    ['an nbf in the future', { nbf: now() + 120 }, 'token not yet valid'],
    ['a refresh token', { token_type: 'refresh_token' }, 'token is not a bearer access token'],
    ['a sender-constrained token', { cnf: { 'x5t#S256': 'abc' } }, 'sender-constrained tokens are not accepted'],
    ['no subject or client', { sub: undefined, client_id: undefined }, 'token has no subject ("sub" or "client_id")'],
  ])('refuses an active answer with %s', async (_, extra, message) => {
    const token = `opaque-${Math.random().toString(36).slice(2)}`;
    answers.set(token, JSON.parse(JSON.stringify(active(extra))));
    await rejects(verifier().verify(token), InvalidTokenError, message, token);
  });

  // Deliberate change (issue 9, item 1): RFC 7662 makes `aud` optional, but without it nothing binds
  // the token to this resource (RFC 8707), so it is refused unless the operator opts in.
  it('refuses an active answer without aud, naming the opt-in', async () => {
    answers.set('opaque-minimal', { active: true, sub: 'bob', scope: 'read write admin' });
    await rejects(
      verifier().verify('opaque-minimal'),
      InvalidTokenError,
      'token audience unknown: the introspection answer has no "aud" (RFC 8707); set OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD=true only if this introspection client is dedicated to this resource',
      'opaque-minimal',
    );
  });

  it('accepts an answer without aud and iss with OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD=true', async () => {
    answers.set('opaque-minimal', { active: true, sub: 'bob' });
    const v = verifier({ OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD: 'true' });
    await expect(v.verify('opaque-minimal')).resolves.toMatchObject({ subject: 'bob', scopes: [] });
  });

  it('still refuses another audience with the opt-in', async () => {
    answers.set('opaque-other', active({ aud: 'https://other.example.com/mcp' }));
    const v = verifier({ OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD: 'true' });
    await rejects(
      v.verify('opaque-other'),
      InvalidTokenError,
      'token audience "https://other.example.com/mcp" is not this resource (OAUTH_AUDIENCE)',
      'opaque-other',
    );
  });

  it('caches an active answer: one request for repeated use', async () => {
    answers.set('opaque-cached', active());
    const v = verifier();
    await v.verify('opaque-cached');
    await v.verify('opaque-cached');
    await Promise.all([v.verify('opaque-cached'), v.verify('opaque-cached')]);
    expect(server.hits('/introspect')).toBe(1);
  });

  it('asks again after 60 s, and sees a revocation', async () => {
    answers.set('opaque-revoked-later', active({ exp: now() + 3600 }));
    const v = verifier();
    await v.verify('opaque-revoked-later');
    answers.delete('opaque-revoked-later');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    await rejects(v.verify('opaque-revoked-later'), InvalidTokenError, 'token is not active', 'opaque-revoked-later');
    expect(server.hits('/introspect')).toBe(2);
  });

  it('never keeps a cached answer past the token expiry', async () => {
    answers.set('opaque-short', active({ exp: now() + 5 }));
    const v = verifier({ OAUTH_CLOCK_TOLERANCE_S: '0' });
    await v.verify('opaque-short');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6_000);
    await rejects(v.verify('opaque-short'), InvalidTokenError, 'token expired', 'opaque-short');
    expect(server.hits('/introspect')).toBe(2);
  });

  // Deliberate change (issue 9, item 1): refusals are remembered briefly so junk cannot amplify.
  describe('refusals are remembered briefly', () => {
    let clockMs: number;
    const clocked = (options: IntrospectionVerifierOptions = {}) => verifier({}, { now: () => clockMs, ...options });
    beforeEach(() => {
      clockMs = Date.now();
    });

    it('asks once for a junk token sent again and again within 10 s', async () => {
      const v = clocked();
      for (let i = 0; i < 50; i++) {
        await rejects(v.verify('junk-token-1'), InvalidTokenError, 'token is not active', 'junk-token-1');
      }
      expect(server.hits('/introspect')).toBe(1);
    });

    it('remembers the refusal with its description, then asks again after 10 s', async () => {
      answers.set('opaque-no-aud', active({ aud: undefined }));
      const v = clocked();
      await rejects(v.verify('opaque-no-aud'), InvalidTokenError, /has no "aud"/, 'opaque-no-aud');
      answers.set('opaque-no-aud', active());
      clockMs += 9_000;
      await rejects(v.verify('opaque-no-aud'), InvalidTokenError, /has no "aud"/, 'opaque-no-aud');
      expect(server.hits('/introspect')).toBe(1);
      clockMs += 2_000;
      await expect(v.verify('opaque-no-aud')).resolves.toMatchObject({ subject: 'alice' });
      expect(server.hits('/introspect')).toBe(2);
    });

    it('coalesces concurrent requests for one junk token into one call', async () => {
      const v = clocked();
      await Promise.all(Array.from({ length: 20 }, () => v.verify('junk-token-2').catch(() => undefined)));
      expect(server.hits('/introspect')).toBe(1);
    });

    it('bounds the refusal cache, dropping the oldest, without pushing out active tokens', async () => {
      answers.set('good-token', active());
      const v = clocked({ maxNegativeCacheEntries: 2 });
      await v.verify('good-token');
      for (const t of ['junk-a', 'junk-b', 'junk-c', 'junk-c', 'junk-a']) await v.verify(t).catch(() => undefined);
      await v.verify('good-token');
      expect(server.seen.map((r) => new URLSearchParams(r.body).get('token'))).toEqual([
        'good-token',
        'junk-a',
        'junk-b',
        'junk-c',
        'junk-a',
      ]);
    });

    it('does not remember a failure to decide (503)', async () => {
      server.routes.set('/introspect', json({ error: 'down' }, 500));
      const v = clocked();
      await rejects(v.verify('opaque-z'), AuthUnavailableError, /HTTP 500$/, 'opaque-z');
      await rejects(v.verify('opaque-z'), AuthUnavailableError, /HTTP 500$/, 'opaque-z');
      expect(server.hits('/introspect')).toBe(2);
    });

    it('bounds the calls in flight: beyond the bound a new token gets 503 at once, without a call', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      server.routes.set('/introspect', (req, res, body) => {
        void gate.then(() => json({ active: false })(req, res, body));
      });
      const v = clocked({ maxConcurrent: 3 });
      const held = ['junk-1', 'junk-2', 'junk-3'].map((t) => v.verify(t).catch((e: unknown) => e));
      await vi.waitFor(() => expect(server.seen).toHaveLength(3), { interval: 5 });
      const error = (await v.verify('junk-4').catch((e: unknown) => e)) as AuthUnavailableError;
      expect(error).toBeInstanceOf(AuthUnavailableError);
      expect(error.message).toBe('token introspection: 3 calls already in flight');
      expect(error.retryAfterSeconds).toBe(1);
      // A token already being asked about joins its call instead.
      const joined = v.verify('junk-2').catch((e: unknown) => e);
      release();
      expect(await Promise.all([...held, joined])).toEqual(Array(4).fill(expect.any(InvalidTokenError)));
      expect(server.seen).toHaveLength(3);
    });

    it('can be switched off with negativeCacheSeconds: 0', async () => {
      const v = clocked({ negativeCacheSeconds: 0 });
      await v.verify('junk-token-3').catch(() => undefined);
      await v.verify('junk-token-3').catch(() => undefined);
      expect(server.hits('/introspect')).toBe(2);
    });
  });

  it('bounds the cache, dropping the oldest entry', async () => {
    for (const t of ['t-1', 't-2', 't-3']) answers.set(t, active());
    const v = verifier({}, { maxCacheEntries: 2 });
    for (const t of ['t-1', 't-2', 't-3', 't-3', 't-1']) await v.verify(t);
    expect(server.seen.map((r) => new URLSearchParams(r.body).get('token'))).toEqual(['t-1', 't-2', 't-3', 't-1']);
  });

  it('fails closed when the endpoint is unreachable', async () => {
    const v = verifier({ OAUTH_INTROSPECTION_URL: 'http://127.0.0.1:1/introspect' });
    await rejects(
      v.verify('opaque-x1'),
      AuthUnavailableError,
      /^token introspection at http:\/\/127\.0\.0\.1:1\/introspect: could not be reached/,
      'opaque-x1',
    );
  });

  it('fails closed when the endpoint refuses our client credentials, without echoing the secret', async () => {
    const v = verifier({ OAUTH_INTROSPECTION_CLIENT_SECRET: 'wrong-secret-123' });
    const error = await rejects(v.verify('opaque-x2'), AuthUnavailableError, /HTTP 401$/, 'opaque-x2');
    expect(error.message).not.toContain('wrong-secret-123');
  });

  it('fails closed on an answer that is not RFC 7662', async () => {
    server.routes.set('/introspect', json({ ok: true }));
    await rejects(verifier().verify('opaque-x3'), AuthUnavailableError, /not an RFC 7662 response/, 'opaque-x3');
  });

  it('refuses an oversized token without asking', async () => {
    const big = 'a'.repeat(9000);
    await rejects(verifier().verify(big), InvalidTokenError, 'token too large', big);
    expect(server.seen).toHaveLength(0);
  });

  it('takes the endpoint from the issuer metadata when OAUTH_INTROSPECTION_URL is not set', async () => {
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({ issuer: server.origin, introspection_endpoint: `${server.origin}/introspect` }),
    );
    answers.set('opaque-discovered', active());
    await expect(verifier({ OAUTH_INTROSPECTION_URL: '' }).verify('opaque-discovered')).resolves.toMatchObject({
      subject: 'alice',
    });
    server.routes.delete('/.well-known/oauth-authorization-server');
  });

  it('fails closed when neither the configuration nor the metadata names an endpoint', async () => {
    server.routes.set('/.well-known/oauth-authorization-server', json({ issuer: server.origin }));
    await rejects(
      verifier({ OAUTH_INTROSPECTION_URL: '' }).verify('opaque-y'),
      AuthUnavailableError,
      /has no introspection_endpoint; set OAUTH_INTROSPECTION_URL/,
      'opaque-y',
    );
    server.routes.delete('/.well-known/oauth-authorization-server');
  });
});
