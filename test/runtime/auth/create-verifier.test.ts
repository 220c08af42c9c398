import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../../templates/runtime/auth/api-keys.js';
import {
  loadAuthConfig,
  type ApiKeySettings,
  type OAuthSettings,
} from '../../../templates/runtime/auth/auth-config.js';
import { createTokenVerifier } from '../../../templates/runtime/auth/create-verifier.js';
import { InvalidTokenError } from '../../../templates/runtime/auth/principal.js';
import {
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
let key: TestKey;

beforeAll(async () => {
  server = await startAuthServer();
  key = await testKey('ES256');
  server.routes.set(
    '/.well-known/oauth-authorization-server',
    json({ issuer: server.origin, jwks_uri: `${server.origin}/jwks` }),
  );
  server.routes.set('/jwks', json({ keys: [key.jwk] }));
  server.routes.set('/introspect', (req, res, body) =>
    json(
      new URLSearchParams(body).get('token') === 'opaque-good'
        ? { active: true, sub: 'bob', aud: RESOURCE }
        : { active: false },
    )(req, res, body),
  );
});
afterAll(() => server.stop());
beforeEach(() => {
  server.seen.length = 0;
});

const oauth = (env: Record<string, string> = {}) =>
  loadAuthConfig({ OAUTH_ISSUER: server.origin, ...env }, new URL(RESOURCE)) as OAuthSettings;
const withIntrospection = () =>
  oauth({
    OAUTH_INTROSPECTION_URL: `${server.origin}/introspect`,
    OAUTH_INTROSPECTION_CLIENT_ID: 'rs',
    OAUTH_INTROSPECTION_CLIENT_SECRET: 'secret',
  });
const jwt = () => sign(key, { iss: server.origin, aud: RESOURCE, sub: 'alice', exp: now() + 60 });

describe('createTokenVerifier (oauth)', () => {
  it('sends a compact JWS to the JWT verifier, never to introspection', async () => {
    await expect(createTokenVerifier(withIntrospection()).verify(await jwt())).resolves.toMatchObject({
      subject: 'alice',
      via: 'jwt',
    });
    expect(server.hits('/introspect')).toBe(0);
  });

  it('recalls a JWT and an introspected token only after each was verified, each by its own verifier', async () => {
    const verifier = createTokenVerifier(withIntrospection());
    const token = await jwt();
    expect(verifier.recall?.(token)).toBeUndefined();
    expect(verifier.recall?.('opaque-good')).toBeUndefined();
    const viaJwt = await verifier.verify(token);
    const viaIntrospection = await verifier.verify('opaque-good');
    expect(verifier.recall?.(token)).toBe(viaJwt);
    expect(verifier.recall?.('opaque-good')).toBe(viaIntrospection);
    expect(viaIntrospection).toMatchObject({ subject: 'bob', via: 'introspection' });
    // A refused token is never recalled: verify answers it again (and refuses it).
    await expect(verifier.verify('opaque-bad')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(verifier.recall?.('opaque-bad')).toBeUndefined();
    expect(server.hits('/introspect')).toBe(2);
  });

  it('does not fall back to introspection when a JWT fails', async () => {
    const token = await sign(key, {
      iss: server.origin,
      aud: 'https://other.example.com',
      sub: 'alice',
      exp: now() + 60,
    });
    await rejects(
      createTokenVerifier(withIntrospection()).verify(token),
      InvalidTokenError,
      'token audience "https://other.example.com" is not this resource (OAUTH_AUDIENCE)',
      token,
    );
    expect(server.hits('/introspect')).toBe(0);
  });

  it('sends an opaque token to introspection when configured', async () => {
    await expect(createTokenVerifier(withIntrospection()).verify('opaque-good')).resolves.toMatchObject({
      subject: 'bob',
      via: 'introspection',
    });
    expect(server.hits('/introspect')).toBe(1);
  });

  it('refuses an opaque token when introspection is not configured', async () => {
    await rejects(
      createTokenVerifier(oauth()).verify('opaque-good'),
      InvalidTokenError,
      'malformed token',
      'opaque-good',
    );
    expect(server.seen).toHaveLength(0);
  });

  it('does not forward a token outside the RFC 6750 b64token syntax', async () => {
    const token = 'opaque good\r\nX: y';
    await rejects(createTokenVerifier(withIntrospection()).verify(token), InvalidTokenError, 'malformed token', token);
    expect(server.seen).toHaveLength(0);
  });

  it('shares one discovery between the JWT and introspection verifiers', async () => {
    const settings = oauth({ OAUTH_INTROSPECTION_CLIENT_ID: 'rs', OAUTH_INTROSPECTION_CLIENT_SECRET: 'secret' });
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({
        issuer: server.origin,
        jwks_uri: `${server.origin}/jwks`,
        introspection_endpoint: `${server.origin}/introspect`,
      }),
    );
    const v = createTokenVerifier(settings);
    await v.verify(await jwt());
    await v.verify('opaque-good');
    expect(server.hits('/.well-known/oauth-authorization-server')).toBe(1);
  });
});

describe('createTokenVerifier (api-key)', () => {
  it('builds the API key verifier from the keys file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(
      file,
      JSON.stringify({ keys: [{ sha256: hashApiKey('k-123456789'), subject: 'ci-bot', roles: ['reader'] }] }),
    );
    const settings = loadAuthConfig(
      { MCP_AUTH: 'api-key', MCP_API_KEYS_FILE: file },
      new URL(RESOURCE),
    ) as ApiKeySettings;
    await expect(createTokenVerifier(settings).verify('k-123456789')).resolves.toMatchObject({
      subject: 'ci-bot',
      roles: ['reader'],
      via: 'api-key',
    });
  });
});
