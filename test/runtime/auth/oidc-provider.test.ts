import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { createTokenVerifier } from '../../../templates/runtime/auth/create-verifier.js';
import { InvalidTokenError } from '../../../templates/runtime/auth/principal.js';
import { rejects } from './support/auth-server.js';

// A real authorization server (oidc-provider) issuing JWT access tokens for
// this resource and opaque ones for another, checked end to end through
// OpenID Connect discovery, the JWKS and RFC 7662 introspection.
const RESOURCE = 'https://mcp.example.com/mcp';
const OPAQUE_RESOURCE = 'https://opaque.example.com/mcp';
const OTHER = 'https://other.example.com/mcp';

// oidc-provider ships no types; the test needs only its constructor and `callback()`.
type ProviderClass = new (issuer: string, configuration: object) => { callback(): RequestListener };
const OIDC_PROVIDER = 'oidc-provider';

let server: Server;
let issuer: string;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { default: Provider } = (await import(OIDC_PROVIDER)) as { default: ProviderClass };
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'svc',
        client_secret: 'svc-secret',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' }] },
    scopes: ['pets:read', 'pets:write'],
    features: {
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: 'pets:read pets:write',
          audience: resource,
          accessTokenFormat: resource === OPAQUE_RESOURCE ? 'opaque' : 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function token(resource: string, scope = 'pets:read'): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('svc:svc-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.access_token!;
}

const settings = (env: Record<string, string> = {}) =>
  loadAuthConfig({ OAUTH_ISSUER: issuer, ...env }, new URL(RESOURCE)) as OAuthSettings;

describe('against oidc-provider', () => {
  it('accepts its JWT access token for this resource, found by discovery', async () => {
    const principal = await createTokenVerifier(settings()).verify(await token(RESOURCE, 'pets:read pets:write'));
    expect(principal).toMatchObject({
      subject: 'svc',
      clientId: 'svc',
      scopes: ['pets:read', 'pets:write'],
      via: 'jwt',
    });
  });

  it('refuses its genuine JWT access token minted for another resource', async () => {
    const other = await token(OTHER);
    await rejects(
      createTokenVerifier(settings()).verify(other),
      InvalidTokenError,
      'token audience "https://other.example.com/mcp" is not this resource (OAUTH_AUDIENCE)',
      other,
    );
  });

  it('introspects its opaque token and checks the audience', async () => {
    const opaque = await token(OPAQUE_RESOURCE);
    const introspecting = (audience: string) =>
      createTokenVerifier(
        settings({
          OAUTH_AUDIENCE: audience,
          OAUTH_INTROSPECTION_CLIENT_ID: 'svc',
          OAUTH_INTROSPECTION_CLIENT_SECRET: 'svc-secret',
        }),
      );
    await expect(introspecting(OPAQUE_RESOURCE).verify(opaque)).resolves.toMatchObject({
      clientId: 'svc',
      scopes: ['pets:read'],
      via: 'introspection',
    });
    await rejects(
      introspecting(RESOURCE).verify(opaque),
      InvalidTokenError,
      'token audience "https://opaque.example.com/mcp" is not this resource (OAUTH_AUDIENCE)',
      opaque,
    );
  });
});
