import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIssuerMetadataSource, discoverIssuerMetadata } from '../../../templates/runtime/auth/issuer-metadata.js';
import { AuthUnavailableError } from '../../../templates/runtime/auth/principal.js';
import { metadataUrls } from '../../../templates/runtime/http/discovery-document.js';
import { json, startAuthServer, type AuthServer } from './support/auth-server.js';

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.routes.clear();
  server.seen.length = 0;
});

describe('metadataUrls', () => {
  it.each([
    [
      'https://as.example.com',
      [
        'https://as.example.com/.well-known/oauth-authorization-server',
        'https://as.example.com/.well-known/openid-configuration',
      ],
    ],
    [
      'https://as.example.com/',
      [
        'https://as.example.com/.well-known/oauth-authorization-server',
        'https://as.example.com/.well-known/openid-configuration',
      ],
    ],
    [
      'https://as.example.com/tenant/a',
      [
        'https://as.example.com/.well-known/oauth-authorization-server/tenant/a',
        'https://as.example.com/.well-known/openid-configuration/tenant/a',
        'https://as.example.com/tenant/a/.well-known/openid-configuration',
      ],
    ],
    [
      'https://as.example.com/tenant/',
      [
        'https://as.example.com/.well-known/oauth-authorization-server/tenant',
        'https://as.example.com/.well-known/openid-configuration/tenant',
        'https://as.example.com/tenant/.well-known/openid-configuration',
      ],
    ],
  ])('%s -> RFC 8414 path insertion first, then OpenID Connect', (issuer, want) => {
    expect(metadataUrls(issuer).map((u) => u.href)).toEqual(want);
  });
});

describe('discoverIssuerMetadata', () => {
  it('reads RFC 8414 metadata at the root', async () => {
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({
        issuer: server.origin,
        jwks_uri: `${server.origin}/jwks`,
        introspection_endpoint: `${server.origin}/introspect`,
      }),
    );
    const metadata = await discoverIssuerMetadata(server.origin);
    expect(metadata.jwksUri?.href).toBe(`${server.origin}/jwks`);
    expect(metadata.introspectionEndpoint?.href).toBe(`${server.origin}/introspect`);
  });

  it('reads RFC 8414 metadata by path insertion for an issuer with a path', async () => {
    const issuer = `${server.origin}/tenant/a`;
    server.routes.set(
      '/.well-known/oauth-authorization-server/tenant/a',
      json({ issuer, jwks_uri: `${server.origin}/k` }),
    );
    expect((await discoverIssuerMetadata(issuer)).jwksUri?.href).toBe(`${server.origin}/k`);
    expect(server.seen).toHaveLength(1);
  });

  it('falls back to OpenID Connect Discovery appended to an issuer with a path', async () => {
    const issuer = `${server.origin}/realms/main`;
    server.routes.set(
      '/realms/main/.well-known/openid-configuration',
      json({ issuer, jwks_uri: `${server.origin}/k` }),
    );
    const metadata = await discoverIssuerMetadata(issuer);
    expect(metadata.source.href).toBe(`${issuer}/.well-known/openid-configuration`);
    expect(server.seen.map((r) => r.path)).toEqual([
      '/.well-known/oauth-authorization-server/realms/main',
      '/.well-known/openid-configuration/realms/main',
      '/realms/main/.well-known/openid-configuration',
    ]);
  });

  it('refuses a document whose issuer differs, even only by a trailing slash', async () => {
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({ issuer: `${server.origin}/`, jwks_uri: `${server.origin}/k` }),
    );
    await expect(discoverIssuerMetadata(server.origin)).rejects.toThrow(
      new AuthUnavailableError(
        // The message names both values and the fix (issue 9, item 8: Auth0's trailing slash).
        `issuer mismatch: OAUTH_ISSUER is "${server.origin}" but the metadata at ${server.origin}/.well-known/oauth-authorization-server says "${server.origin}/"; they must be identical (RFC 8414 §3.3): set OAUTH_ISSUER to "${server.origin}/"`,
      ),
    );
  });

  it('skips documents that are not JSON objects and says what it tried', async () => {
    server.routes.set('/.well-known/oauth-authorization-server', (_, res) => res.writeHead(200).end('<html>'));
    const error = await discoverIssuerMetadata(server.origin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthUnavailableError);
    expect((error as Error).message).toBe(
      `no authorization server metadata for issuer "${server.origin}"; tried ${server.origin}/.well-known/oauth-authorization-server (not a JSON object), ${server.origin}/.well-known/openid-configuration (404)`,
    );
  });

  it('does not follow redirects', async () => {
    server.routes.set('/.well-known/oauth-authorization-server', (_, res) =>
      res.writeHead(302, { location: 'https://evil.example.com/' }).end(),
    );
    await expect(discoverIssuerMetadata(server.origin)).rejects.toThrow(/oauth-authorization-server \(302\)/);
  });

  it('refuses a jwks_uri that is plain http off loopback', async () => {
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({ issuer: server.origin, jwks_uri: 'http://keys.example.com/jwks' }),
    );
    await expect(discoverIssuerMetadata(server.origin)).rejects.toThrow(/jwks_uri is not a usable https URL/);
  });

  it('bounds the response size', async () => {
    server.routes.set(
      '/.well-known/oauth-authorization-server',
      json({ issuer: server.origin, pad: 'x'.repeat(4096) }),
    );
    await expect(discoverIssuerMetadata(server.origin, { maxBytes: 1024 })).rejects.toThrow(/larger than 1024 bytes/);
  });

  it('times out a server that does not answer', async () => {
    server.routes.set('/.well-known/oauth-authorization-server', () => undefined);
    await expect(discoverIssuerMetadata(server.origin, { timeoutMs: 100 })).rejects.toThrow(
      /did not answer within 100 ms/,
    );
  });

  it('fails closed when the issuer is unreachable', async () => {
    await expect(discoverIssuerMetadata('http://127.0.0.1:1')).rejects.toBeInstanceOf(AuthUnavailableError);
  });
});

describe('createIssuerMetadataSource', () => {
  it('discovers once and reuses the result', async () => {
    server.routes.set('/.well-known/oauth-authorization-server', json({ issuer: server.origin }));
    const source = createIssuerMetadataSource(server.origin);
    await Promise.all([source.get(), source.get()]);
    await source.get();
    expect(server.seen).toHaveLength(1);
  });

  it('after a failure, waits before trying again, then recovers', async () => {
    // Only Date is faked: the clock stands still unless moved, while sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const source = createIssuerMetadataSource(server.origin, { retryAfterMs: 5000 });
      await expect(source.get()).rejects.toThrow(/no authorization server metadata/);
      expect(server.seen).toHaveLength(2); // both well-known URLs, once
      server.routes.set('/.well-known/oauth-authorization-server', json({ issuer: server.origin }));
      vi.setSystemTime(Date.now() + 4999);
      await expect(source.get()).rejects.toThrow(/retrying shortly/);
      expect(server.seen).toHaveLength(2);
      vi.setSystemTime(Date.now() + 1);
      await expect(source.get()).resolves.toMatchObject({ issuer: server.origin });
    } finally {
      vi.useRealTimers();
    }
  });
});
