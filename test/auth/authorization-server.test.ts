import { InsufficientScopeError, UnauthorizedError } from '@modelcontextprotocol/client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAuthorizationServer, type AuthorizationServer } from '../support/authorization-server.js';
import { connectWithClientCredentials, connectWithOAuth } from '../support/oauth-client.js';
import { startMinimalProtectedResource, type MinimalProtectedResource } from './minimal-protected-resource.js';

const R = 'http://127.0.0.1:9/r/mcp';
const R2 = 'http://127.0.0.1:9/r2/mcp';
const OPAQUE = 'http://127.0.0.1:9/opaque/mcp';

describe('tokens from the authorization server', () => {
  let as: AuthorizationServer;
  beforeAll(async () => {
    as = await startAuthorizationServer({
      resources: {
        [R]: { scopes: ['read', 'write'] },
        [R2]: { scopes: ['read'] },
        [OPAQUE]: { scopes: ['read'], format: 'opaque' },
      },
      clients: [{ clientId: 'svc', roles: ['admin', 'auditor'] }],
    });
  });
  afterAll(() => as.close());

  const verify = (token: string, audience: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(as.jwksUri)), { issuer: as.issuer, audience, typ: 'at+jwt' });

  test('a client credentials token for R is an RFC 9068 JWT for R with the scope and roles', async () => {
    const token = await as.clientCredentialsToken({ scope: 'read write', resource: R });
    const { payload, protectedHeader } = await verify(token.access_token, R);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({
      iss: as.issuer,
      aud: R,
      scope: 'read write',
      client_id: 'svc',
      roles: ['admin', 'auditor'],
    });
  });

  test('an unknown scope is dropped silently, not refused', async () => {
    const token = await as.clientCredentialsToken({ scope: 'read delete-everything', resource: R });
    expect(token.scope).toBe('read');
    expect((await verify(token.access_token, R)).payload.scope).toBe('read');
  });

  test('a token for R2 is not a token for R, and carries only R2 scopes', async () => {
    const token = await as.clientCredentialsToken({ scope: 'read write', resource: R2 });
    expect((await verify(token.access_token, R2)).payload).toMatchObject({ aud: R2, scope: 'read' });
    await expect(verify(token.access_token, R)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
  });

  test('a resource the server does not know is refused with invalid_target (RFC 8707 §2)', async () => {
    await expect(as.clientCredentialsToken({ scope: 'read', resource: 'http://127.0.0.1:9/other' })).rejects.toThrow(
      /invalid_target/,
    );
  });

  test('introspection (RFC 7662) reports an opaque token to a confidential client, and refuses JWTs', async () => {
    const [svc] = as.clients;
    const introspect = async (token: string) => {
      const response = await fetch(`${as.issuer}/token/introspection`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${svc!.clientId}:${svc!.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ token }),
      });
      return response.json();
    };
    const opaque = await as.clientCredentialsToken({ scope: 'read', resource: OPAQUE });
    expect(opaque.access_token.split('.')).toHaveLength(1);
    expect(await introspect(opaque.access_token)).toMatchObject({
      active: true,
      aud: OPAQUE,
      scope: 'read',
      client_id: 'svc',
    });
    const jwt = await as.clientCredentialsToken({ scope: 'read', resource: R });
    expect(await introspect(jwt.access_token)).toMatchObject({ error: 'unsupported_token_type' });
  });

  test('a wrong client secret gets no token', async () => {
    const response = await fetch(as.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('svc:wrong').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read', resource: R }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('after rotateKeys tokens carry a new kid and tokens signed before still verify', async () => {
    const before = await as.clientCredentialsToken({ scope: 'read', resource: R });
    await as.rotateKeys();
    const after = await as.clientCredentialsToken({ scope: 'read', resource: R });
    expect(decodeProtectedHeader(after.access_token).kid).not.toBe(decodeProtectedHeader(before.access_token).kid);
    await expect(verify(before.access_token, R)).resolves.toBeDefined();
    await expect(verify(after.access_token, R)).resolves.toBeDefined();
  });

  test('stop refuses connections and restart serves again with the same keys and clients', async () => {
    const registered = await as.registerClient({
      redirect_uris: ['http://127.0.0.1/cb'],
      token_endpoint_auth_method: 'none',
    });
    await as.stop();
    await expect(fetch(as.jwksUri)).rejects.toThrow();
    await as.restart();
    const token = await as.clientCredentialsToken({ scope: 'read', resource: R });
    await expect(verify(token.access_token, R)).resolves.toBeDefined();
    const stored = await fetch(String(registered.registration_client_uri), {
      headers: { authorization: `Bearer ${String(registered.registration_access_token)}` },
    });
    expect(stored.status).toBe(200);
  });
});

describe('issuer under a path, ES256, Keycloak-style roles', () => {
  let as: AuthorizationServer;
  beforeAll(async () => {
    as = await startAuthorizationServer({
      resources: { [R]: { scopes: ['read'] } },
      defaultResource: R,
      clients: [{ clientId: 'svc', roles: ['viewer'] }],
      issuerPath: '/realms/test',
      signingAlg: 'ES256',
      rolesClaim: 'realm_access.roles',
    });
  });
  afterAll(() => as.close());

  test('RFC 8414 metadata is served at the path-inserted well-known URL and names the issuer', async () => {
    const issuer = new URL(as.issuer);
    const response = await fetch(`${issuer.origin}/.well-known/oauth-authorization-server/realms/test`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ issuer: as.issuer, token_endpoint: `${as.issuer}/token` });
  });

  test('a token without a resource parameter is for the default resource, with nested roles', async () => {
    const token = await as.clientCredentialsToken({ scope: 'read' });
    const { payload, protectedHeader } = await jwtVerify(token.access_token, createRemoteJWKSet(new URL(as.jwksUri)), {
      issuer: as.issuer,
      audience: R,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.realm_access).toEqual({ roles: ['viewer'] });
    expect(payload.roles).toBeUndefined();
  });
});

describe('the MCP SDK client against a minimal protected resource', () => {
  let as: AuthorizationServer;
  let resource: MinimalProtectedResource;
  beforeAll(async () => {
    as = await startAuthorizationServer({
      resources: {},
      accounts: { alice: { roles: ['user'] }, bob: { grantableScopes: ['read'] } },
      clients: [{ clientId: 'svc', roles: ['robot'] }],
    });
    resource = await startMinimalProtectedResource({
      issuer: as.issuer,
      jwksUri: as.jwksUri,
      tools: { read_things: ['read'], write_things: ['read', 'write'] },
      challengeScope: 'read',
    });
    // The resource's URL is only known once it listens.
    as.setResource(resource.url, { scopes: ['read', 'write'] });
  });
  afterAll(async () => {
    await resource.close();
    await as.close();
  });

  test('discovers everything from the 401, registers, authorizes with PKCE and lists tools', async () => {
    as.loginAs('alice');
    const connection = await connectWithOAuth(resource.url);
    try {
      expect(connection.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
      const { tools } = await connection.client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['read_things', 'write_things']);
      expect(resource.outcomes[0]).toBe(401);
      const [request] = connection.provider.authorizationRequests;
      expect(request).toMatchObject({ resource: resource.url, error: null });
      expect(request!.scope!.split(' ')).toContain('read');
      expect(connection.provider.clientInformation()).toMatchObject({ token_endpoint_auth_method: 'none' });
      expect(connection.provider.accessTokenClaims()).toMatchObject({
        aud: resource.url,
        scope: 'read',
        roles: ['user'],
        sub: 'alice',
      });
    } finally {
      await connection.close();
    }
  });

  test('a second connection with the same provider reuses its registration and token', async () => {
    as.loginAs('alice');
    const first = await connectWithOAuth(resource.url);
    await first.close();
    const before = resource.outcomes.length;
    const second = await connectWithOAuth(resource.url, { provider: first.provider });
    try {
      await second.client.listTools();
      expect(first.provider.authorizationRequests).toHaveLength(1);
      expect(resource.outcomes.slice(before)).not.toContain(401);
    } finally {
      await second.close();
    }
  });

  test('pinned to protocol 2026-07-28 the same flow works', async () => {
    as.loginAs('alice');
    const connection = await connectWithOAuth(resource.url, { protocolVersion: '2026-07-28' });
    try {
      expect(connection.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const result = await connection.client.callTool({ name: 'read_things', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'read_things ok' }]);
    } finally {
      await connection.close();
    }
  });

  test('on 403 insufficient_scope the SDK re-authorizes with the union scope, then throws UnauthorizedError', async () => {
    as.loginAs('alice');
    const connection = await connectWithOAuth(resource.url);
    try {
      const { client, provider, transport } = connection;
      await expect(client.callTool({ name: 'write_things', arguments: {} })).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.authorizationRequests).toHaveLength(2);
      expect(provider.authorizationRequests[1]!.scope!.split(' ')).toEqual(expect.arrayContaining(['read', 'write']));
      // The SDK stopped at REDIRECT; the host redeems the code and calls again.
      expect(provider.accessTokenClaims()?.scope).toBe('read');
      await transport.finishAuth(provider.takeCallback()!);
      expect(provider.accessTokenClaims()?.scope).toBe('read write');
      const result = await client.callTool({ name: 'write_things', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'write_things ok' }]);
    } finally {
      await connection.close();
    }
  });

  test('authorized() completes the step-up in one call', async () => {
    as.loginAs('alice');
    const connection = await connectWithOAuth(resource.url);
    try {
      const result = await connection.authorized(() =>
        connection.client.callTool({ name: 'write_things', arguments: {} }),
      );
      expect(result.content).toEqual([{ type: 'text', text: 'write_things ok' }]);
      expect(resource.outcomes.slice(-2)).toEqual([403, 'mcp']);
    } finally {
      await connection.close();
    }
  });

  test('an account that may not have a scope gets a token without it, and step-up fails', async () => {
    as.loginAs('bob');
    const connection = await connectWithOAuth(resource.url);
    try {
      expect(connection.provider.accessTokenClaims()).toMatchObject({ sub: 'bob', scope: 'read' });
      await expect(
        connection.authorized(() => connection.client.callTool({ name: 'write_things', arguments: {} })),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      // Asked twice for write (step-up, then again on the retry), granted read only both times.
      const asked = connection.provider.authorizationRequests.map((request) => request.scope?.includes('write'));
      expect(asked).toEqual([false, true, true]);
      expect(connection.provider.accessTokenClaims()?.scope).toBe('read');
    } finally {
      await connection.close();
    }
  });

  test("with onInsufficientScope 'throw' the SDK surfaces the challenge instead", async () => {
    as.loginAs('alice');
    const connection = await connectWithOAuth(resource.url, { onInsufficientScope: 'throw' });
    try {
      const error = await connection.client.callTool({ name: 'write_things', arguments: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InsufficientScopeError);
      expect((error as InsufficientScopeError).requiredScope).toBe('read write');
      expect(connection.provider.authorizationRequests).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });

  test('a client credentials client connects, and steps up by itself without any help', async () => {
    const [svc] = as.clients;
    const connection = await connectWithClientCredentials(resource.url, { ...svc!, issuer: as.issuer });
    try {
      const result = await connection.client.callTool({ name: 'write_things', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'write_things ok' }]);
      expect(resource.outcomes.slice(-2)).toEqual([403, 'mcp']);
      const token = connection.provider.tokens()!;
      const { payload } = await jwtVerify(token.access_token, createRemoteJWKSet(new URL(as.jwksUri)), {
        issuer: as.issuer,
        audience: resource.url,
        typ: 'at+jwt',
      });
      expect(payload).toMatchObject({ client_id: 'svc', scope: 'read write', roles: ['robot'] });
    } finally {
      await connection.close();
    }
  });
});

describe('the MCP SDK client against an issuer with a path', () => {
  test.each([
    ['RFC 8414 path-inserted metadata', true],
    ['OpenID discovery only', false],
  ])('discovers the authorization server through %s', async (_name, serveOAuthMetadata) => {
    const as = await startAuthorizationServer({ resources: {}, issuerPath: '/realms/test', serveOAuthMetadata });
    const resource = await startMinimalProtectedResource({
      issuer: as.issuer,
      jwksUri: as.jwksUri,
      tools: { read_things: ['read'] },
      challengeScope: 'read',
    });
    as.setResource(resource.url, { scopes: ['read'] });
    const connection = await connectWithOAuth(resource.url);
    try {
      const { tools } = await connection.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(['read_things']);
      expect(connection.provider.accessTokenClaims()).toMatchObject({ iss: as.issuer, aud: resource.url });
      expect(connection.provider.discoveryState()?.authorizationServerUrl).toBe(as.issuer);
    } finally {
      await connection.close();
      await resource.close();
      await as.close();
    }
  });
});

describe('when the authorization server holds clients to the scope they registered with', () => {
  test('the SDK registered with the first challenge scope, so step-up comes back invalid_scope', async () => {
    const as = await startAuthorizationServer({ resources: {}, enforceRegisteredScope: true });
    const resource = await startMinimalProtectedResource({
      issuer: as.issuer,
      jwksUri: as.jwksUri,
      tools: { write_things: ['read', 'write'] },
      challengeScope: 'read',
    });
    as.setResource(resource.url, { scopes: ['read', 'write'] });
    const connection = await connectWithOAuth(resource.url);
    try {
      expect(connection.provider.clientInformation()).toMatchObject({ scope: 'read offline_access' });
      await expect(
        connection.authorized(() => connection.client.callTool({ name: 'write_things', arguments: {} })),
      ).rejects.toThrow('authorization refused: invalid_scope');
    } finally {
      await connection.close();
      await resource.close();
      await as.close();
    }
  });
});
