/**
 * One block per recipe of docs/identity-providers.md: a token shaped like that provider's
 * (header, issuer form, audience form, scope and role claims), signed by a local key, served
 * through the provider's discovery layout on 127.0.0.1, verified by the real verifier with the
 * environment the recipe prescribes, and then judged by the guard against a tool that needs a
 * scope and a role. Each block also shows the failure the recipe warns about.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { createTokenVerifier } from '../../../templates/runtime/auth/create-verifier.js';
import { AuthUnavailableError, InvalidTokenError, type Principal } from '../../../templates/runtime/auth/principal.js';
import { scopesFromClaims } from '../../../templates/runtime/auth/token-claims.js';
import { callerOf, mayCall } from '../../../templates/runtime/rbac/guard.js';
import type { AuthorizationDefinition, ToolDefinition } from '../../../templates/runtime/mcp/types.js';
import { ConfigError } from '../../../templates/runtime/server/config.js';
import { isEnvName } from '../../../templates/runtime/config/env-table.js';
import { REPO } from '../../support/generated-project.js';
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
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ENTRA_API = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const ENTRA_CLIENT = 'aebc6443-996d-45c2-90f0-388ff96faa56';
const POOL = 'us-east-1_Ab12CdEfG';
const COGNITO_CLIENT = '1example23456789';

let server: AuthServer;
const keys: Record<string, TestKey> = {};

const authorization: AuthorizationDefinition = { scopesSupported: [], scopeImplies: {}, toolsList: 'filter' };

/** A tool like `deletePet`: one scope and one role. */
function tool(scope: string, role: string): ToolDefinition {
  return {
    name: 'delete_pet',
    description: 'Delete a pet',
    inputSchema: { type: 'object' },
    annotations: {},
    http: { method: 'DELETE', path: '/pets/{petId}', parameters: [] },
    security: [],
    access: { scopes: [[scope]], roles: [role] },
    tags: [],
    source: '/paths/~1pets~1{petId}/delete',
  };
}

const settings = (env: Record<string, string>) => loadAuthConfig(env, new URL(RESOURCE)) as OAuthSettings;
const verify = (env: Record<string, string>, token: string) => createTokenVerifier(settings(env)).verify(token);
const decide = (principal: Principal, rolesClaim: string, scope: string, role: string) =>
  mayCall(tool(scope, role), callerOf(principal, authorization, { rolesClaim, transport: 'http' }));

/** Serves an OpenID Connect discovery document and a JWKS the way the provider lays them out. */
function serve(metadataPath: string, issuer: string, jwksPath: string, key: TestKey): void {
  server.routes.set(metadataPath, json({ issuer, jwks_uri: `${server.origin}${jwksPath}` }));
  server.routes.set(jwksPath, json({ keys: [key.jwk] }));
}

const times = () => ({ iat: now(), exp: now() + 3600 });

beforeAll(async () => {
  server = await startAuthServer();
  // kid shapes as the providers publish them.
  const [auth0, keycloak, entra, okta, cognito] = await Promise.all([
    testKey('RS256', 'Zm9vYmFyYXV0aDBraWQxMjM0NTY3'),
    testKey('RS256', 'x1aWq3Hh0eUgk6Vw1Lo5Q3Nk2Q8i2cYpW0qkq1r9g2U'),
    testKey('RS256', 'nOo3ZDrODXEK1jKWhXslHR_KXEg'),
    testKey('RS256', 'ZAoLxLxH1W8b2sDgm8z3lPpxD0O8BwL2h0XzVqY1FfA'),
    testKey('RS256', 'abcdefghijklmnopqrsexample+/0123456789AB='),
  ]);
  Object.assign(keys, { auth0, keycloak, entra, okta, cognito });
});
afterAll(() => server.stop());
beforeEach(() => {
  server.routes.clear();
  server.seen.length = 0;
});

describe('Auth0', () => {
  // Issuer identifiers of Auth0 end with a slash; the metadata sits at the tenant root.
  const issuer = () => `${server.origin}/`;
  const env = (extra: Record<string, string> = {}) => ({
    OAUTH_ISSUER: issuer(),
    OAUTH_ROLES_CLAIM: 'auth0:https://mcp.example.com',
    OAUTH_SCOPES_CLAIM: 'permissions',
    ...extra,
  });
  beforeEach(() => serve('/.well-known/openid-configuration', issuer(), '/.well-known/jwks.json', keys.auth0!));

  /** RFC 9068 token profile with RBAC and "Add Permissions in the Access Token" (dialect rfc9068_profile_authz). */
  const rfc9068 = (extra: Record<string, unknown> = {}) =>
    sign(
      keys.auth0!,
      {
        iss: issuer(),
        sub: 'auth0|64f1c0ffee',
        aud: [RESOURCE, `${issuer()}userinfo`],
        client_id: 'Xq9Tz2mKp4LrV7sWb1NcYd8Ea3Hf6Gj0',
        jti: '73WakrfVbNJBaAmhQtEeDv',
        scope: 'openid profile email',
        permissions: ['pets:read', 'pets:write'],
        'https://mcp.example.com/roles': ['admin'],
        ...times(),
        ...extra,
      },
      { typ: 'at+jwt' },
    );

  it('accepts an RFC 9068 profile token and takes the scopes from "permissions" and the roles from the namespaced claim', async () => {
    const principal = await verify(env(), await rfc9068());
    expect(principal).toMatchObject({
      subject: 'auth0|64f1c0ffee',
      clientId: 'Xq9Tz2mKp4LrV7sWb1NcYd8Ea3Hf6Gj0',
      scopes: ['pets:read', 'pets:write'],
    });
    expect(decide(principal, 'auth0:https://mcp.example.com', 'pets:write', 'admin')).toMatchObject({ allow: true });
    expect(decide(principal, 'auth0:https://mcp.example.com', 'pets:write', 'owner')).toMatchObject({
      allow: false,
      kind: 'role',
    });
  });

  it('without OAUTH_SCOPES_CLAIM the RBAC permissions are not scopes: the call is a 403 insufficient_scope', async () => {
    const { OAUTH_SCOPES_CLAIM: _, ...withoutClaim } = env();
    const principal = await verify(withoutClaim, await rfc9068());
    expect(principal.scopes).toEqual(['openid', 'profile', 'email']);
    expect(decide(principal, 'auth0:https://mcp.example.com', 'pets:write', 'admin')).toMatchObject({
      allow: false,
      kind: 'scope',
      scopes: ['pets:write'],
    });
  });

  it('refuses the default "Auth0" profile (typ JWT) unless OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT is set, and reads azp then', async () => {
    const token = await sign(
      keys.auth0!,
      {
        iss: issuer(),
        sub: 'auth0|64f1c0ffee',
        aud: [RESOURCE, `${issuer()}userinfo`],
        azp: 'Xq9Tz2mKp4LrV7sWb1NcYd8Ea3Hf6Gj0',
        scope: 'openid profile',
        permissions: ['pets:write'],
        ...times(),
      },
      { typ: 'JWT' },
    );
    await rejects(
      verify(env(), token),
      InvalidTokenError,
      'token typ "JWT" is not at+jwt (RFC 9068); set OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT=true to accept it',
      token,
    );
    await expect(verify(env({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true' }), token)).resolves.toMatchObject({
      clientId: 'Xq9Tz2mKp4LrV7sWb1NcYd8Ea3Hf6Gj0',
      scopes: ['pets:write'],
    });
  });

  it('accepts a client-credentials (M2M) token whose subject is "<client id>@clients"', async () => {
    const principal = await verify(
      env(),
      await rfc9068({
        sub: 'Xq9Tz2mKp4LrV7sWb1NcYd8Ea3Hf6Gj0@clients',
        aud: RESOURCE,
        gty: 'client-credentials',
        scope: 'pets:write',
        permissions: ['pets:write'],
      }),
    );
    expect(principal).toMatchObject({ subject: 'Xq9Tz2mKp4LrV7sWb1NcYd8Ea3Hf6Gj0@clients', scopes: ['pets:write'] });
  });

  it('an OAUTH_ISSUER without the trailing slash is a 503 that names the issuer to set', async () => {
    const token = await rfc9068();
    await rejects(
      verify(env({ OAUTH_ISSUER: server.origin }), token),
      AuthUnavailableError,
      new RegExp(`issuer mismatch: .*set OAUTH_ISSUER to "${issuer().replace(/[.]/g, '\\.')}"$`),
      token,
    );
  });

  it('refuses an API identifier (audience) other than MCP_PUBLIC_URL, naming it', async () => {
    const token = await rfc9068({ aud: ['https://api.example.com', `${issuer()}userinfo`] });
    await rejects(
      verify(env(), token),
      InvalidTokenError,
      `token audience "https://api.example.com", "${issuer()}userinfo" is not this resource (OAUTH_AUDIENCE)`,
      token,
    );
  });
});

describe('Keycloak', () => {
  const issuer = () => `${server.origin}/realms/main`;
  const env = (extra: Record<string, string> = {}) => ({
    OAUTH_ISSUER: issuer(),
    OAUTH_ROLES_CLAIM: 'keycloak',
    ...extra,
  });
  beforeEach(() =>
    serve(
      '/realms/main/.well-known/openid-configuration',
      issuer(),
      '/realms/main/protocol/openid-connect/certs',
      keys.keycloak!,
    ),
  );

  /** An access token of a realm with an Audience mapper adding MCP_PUBLIC_URL next to the default `account`. */
  const token = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = { typ: 'at+jwt' }) =>
    sign(
      keys.keycloak!,
      {
        ...times(),
        auth_time: now() - 10,
        jti: 'onrtac:3b1e3c55-2f0b-4f57-9d2a-ef2a8a1c7d11',
        iss: issuer(),
        aud: [RESOURCE, 'account'],
        sub: 'f6c1c9a0-7b4e-4a3c-9a55-2b2c7a1d9e10',
        typ: 'Bearer',
        azp: 'mcp-client',
        sid: '4a1d2e5f-0000-4000-8000-000000000001',
        acr: '1',
        'allowed-origins': ['http://127.0.0.1:33418'],
        realm_access: { roles: ['admin', 'default-roles-main', 'offline_access', 'uma_authorization'] },
        resource_access: {
          account: { roles: ['manage-account', 'view-profile'] },
          'mcp-server': { roles: ['pets-admin'] },
        },
        scope: 'openid pets:read pets:write profile email',
        email_verified: true,
        preferred_username: 'alice',
        ...extra,
      },
      header,
    );

  it('accepts a token with the audience mapper and typ at+jwt; realm roles through the "keycloak" preset', async () => {
    const principal = await verify(env(), await token());
    expect(principal).toMatchObject({
      clientId: 'mcp-client',
      scopes: ['openid', 'pets:read', 'pets:write', 'profile', 'email'],
    });
    expect(decide(principal, 'keycloak', 'pets:write', 'admin')).toMatchObject({ allow: true });
  });

  it('reads client roles through "keycloak-client:<client id>"', async () => {
    const principal = await verify(env({ OAUTH_ROLES_CLAIM: 'keycloak-client:mcp-server' }), await token());
    expect(decide(principal, 'keycloak-client:mcp-server', 'pets:write', 'pets-admin')).toMatchObject({ allow: true });
    expect(decide(principal, 'keycloak-client:mcp-server', 'pets:write', 'admin')).toMatchObject({ kind: 'role' });
  });

  it('without the audience mapper (aud "account" only) the token is refused, naming "account"', async () => {
    const refused = await token({ aud: 'account' });
    await rejects(
      verify(env(), refused),
      InvalidTokenError,
      'token audience "account" is not this resource (OAUTH_AUDIENCE)',
      refused,
    );
  });

  it('a client without the at+jwt header type (typ JWT) needs OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT', async () => {
    const plain = await token({}, { typ: 'JWT' });
    await rejects(verify(env(), plain), InvalidTokenError, /^token typ "JWT" is not at\+jwt/, plain);
    await expect(verify(env({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true' }), plain)).resolves.toMatchObject({
      clientId: 'mcp-client',
    });
  });
});

describe('Microsoft Entra ID', () => {
  const v2Issuer = () => `${server.origin}/${TENANT}/v2.0`;
  const prefix = `api://${ENTRA_API}/`;
  const env = (extra: Record<string, string> = {}) => ({
    OAUTH_ISSUER: v2Issuer(),
    OAUTH_AUDIENCE: ENTRA_API,
    OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true',
    OAUTH_ROLES_CLAIM: 'entra',
    OAUTH_GRANTED_SCOPE_PREFIX: prefix,
    ...extra,
  });
  beforeEach(() => {
    serve(
      `/${TENANT}/v2.0/.well-known/openid-configuration`,
      v2Issuer(),
      `/${TENANT}/discovery/v2.0/keys`,
      keys.entra!,
    );
    server.routes.set(`/${TENANT}/discovery/keys`, json({ keys: [keys.entra!.jwk] }));
  });
  const header = () => ({ typ: 'JWT', x5t: keys.entra!.kid });

  /** A v2.0 delegated token (requestedAccessTokenVersion 2): `aud` is the API's application (client) id. */
  const v2 = (extra: Record<string, unknown> = {}) =>
    sign(
      keys.entra!,
      {
        aud: ENTRA_API,
        iss: v2Issuer(),
        ...times(),
        nbf: now(),
        aio: 'AWQAm/8TAAAA',
        azp: ENTRA_CLIENT,
        azpacr: '0',
        name: 'Alice Example',
        oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
        preferred_username: 'alice@contoso.example',
        rh: '0.AAAAv4j5cvGGr0GRqy180BHbR.',
        roles: ['Pets.Admin'],
        scp: 'pets.read pets.write',
        sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
        tid: TENANT,
        uti: 'fqiBqXLPj0eQa82S-IYFAA',
        ver: '2.0',
        ...extra,
      },
      header(),
    );

  it('accepts a v2.0 token: scp names qualified with OAUTH_GRANTED_SCOPE_PREFIX, app roles through "entra"', async () => {
    const principal = await verify(env(), await v2());
    expect(principal).toMatchObject({
      clientId: ENTRA_CLIENT,
      scopes: [`${prefix}pets.read`, `${prefix}pets.write`],
    });
    expect(decide(principal, 'entra', `${prefix}pets.write`, 'Pets.Admin')).toMatchObject({ allow: true });
    expect(decide(principal, 'entra', `${prefix}pets.delete`, 'Pets.Admin')).toMatchObject({
      kind: 'scope',
      scopes: [`${prefix}pets.delete`],
    });
  });

  it('refuses a v2.0 token when OAUTH_AUDIENCE is left at MCP_PUBLIC_URL, naming the GUID audience it carried', async () => {
    const { OAUTH_AUDIENCE: _, ...withoutAudience } = env();
    const token = await v2();
    await rejects(
      verify(withoutAudience, token),
      InvalidTokenError,
      `token audience "${ENTRA_API}" is not this resource (OAUTH_AUDIENCE)`,
      token,
    );
  });

  it('refuses any Entra token while OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT is unset (Entra always sends typ JWT)', async () => {
    const token = await v2();
    await rejects(
      verify(env({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'false' }), token),
      InvalidTokenError,
      /^token typ "JWT" is not at\+jwt/,
      token,
    );
  });

  describe('v1.0 tokens (requestedAccessTokenVersion null or 1)', () => {
    const v1Issuer = `https://sts.windows.net/${TENANT}/`;
    const v1 = () =>
      sign(
        keys.entra!,
        {
          aud: `api://${ENTRA_API}`,
          iss: v1Issuer,
          ...times(),
          nbf: now(),
          acr: '1',
          aio: 'AVQAq/8TAAAA',
          amr: ['pwd'],
          appid: ENTRA_CLIENT,
          appidacr: '0',
          name: 'Alice Example',
          oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
          roles: ['Pets.Admin'],
          scp: 'pets.read pets.write',
          sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
          tid: TENANT,
          unique_name: 'alice@contoso.example',
          upn: 'alice@contoso.example',
          uti: 'fqiBqXLPj0eQa82S-IYFAA',
          ver: '1.0',
        },
        header(),
      );

    it('accepts one with the sts.windows.net issuer, the api:// audience and an explicit JWKS URI', async () => {
      const principal = await verify(
        env({
          OAUTH_ISSUER: v1Issuer,
          OAUTH_AUDIENCE: `api://${ENTRA_API}`,
          OAUTH_JWKS_URI: `${server.origin}/${TENANT}/discovery/keys`,
        }),
        await v1(),
      );
      // v1.0 names the client in `appid`, which is not a standard claim: policy.ts can read it from `claims`.
      expect(principal.clientId).toBeUndefined();
      expect(principal.claims.appid).toBe(ENTRA_CLIENT);
      expect(decide(principal, 'entra', `${prefix}pets.write`, 'Pets.Admin')).toMatchObject({ allow: true });
    });

    it('refuses one against the v2.0 recipe: the issuer differs', async () => {
      const token = await v1();
      await rejects(
        verify(env({ OAUTH_AUDIENCE: `${ENTRA_API},api://${ENTRA_API}` }), token),
        InvalidTokenError,
        'token issuer not accepted',
        token,
      );
    });
  });
});

describe('Okta (custom authorization server)', () => {
  const issuer = () => `${server.origin}/oauth2/default`;
  const env = (extra: Record<string, string> = {}) => ({
    OAUTH_ISSUER: issuer(),
    OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true',
    OAUTH_ROLES_CLAIM: 'okta',
    ...extra,
  });
  beforeEach(() =>
    serve('/oauth2/default/.well-known/openid-configuration', issuer(), '/oauth2/default/v1/keys', keys.okta!),
  );

  /** Okta access tokens: no `typ`, `scp` as an array, the client in `cid`, a groups claim added on the server. */
  const token = (extra: Record<string, unknown> = {}) =>
    sign(
      keys.okta!,
      {
        ver: 1,
        jti: 'AT.6Qb1x0tlTRyS1GsQm3pC9l0dC8jlVs8RzWCbR5b1xYQ',
        iss: issuer(),
        aud: RESOURCE,
        ...times(),
        cid: '0oa1b2c3d4EXAMPLE697',
        uid: '00u1a2b3c4EXAMPLE697',
        scp: ['pets:read', 'pets:write'],
        auth_time: now() - 30,
        sub: 'alice@example.com',
        groups: ['Everyone', 'admin'],
        ...extra,
      },
      {},
    );

  it('accepts a token of an authorization server whose audience is MCP_PUBLIC_URL; groups through "okta"', async () => {
    const principal = await verify(env(), await token());
    expect(principal).toMatchObject({ subject: 'alice@example.com', scopes: ['pets:read', 'pets:write'] });
    // Okta names the client in `cid`: not a standard claim, so no clientId (policy.ts can read claims.cid).
    expect(principal.clientId).toBeUndefined();
    expect(decide(principal, 'okta', 'pets:write', 'admin')).toMatchObject({ allow: true });
  });

  it('refuses the default server\'s audience "api://default", naming it', async () => {
    const refused = await token({ aud: 'api://default' });
    await rejects(
      verify(env(), refused),
      InvalidTokenError,
      'token audience "api://default" is not this resource (OAUTH_AUDIENCE)',
      refused,
    );
  });

  it('refuses it without OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT (no typ header)', async () => {
    const refused = await token();
    await rejects(
      verify(env({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'false' }), refused),
      InvalidTokenError,
      'token has no "typ" header, RFC 9068 requires at+jwt; set OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT=true to accept it',
      refused,
    );
  });
});

describe('Amazon Cognito', () => {
  const issuer = () => `${server.origin}/${POOL}`;
  const env = (extra: Record<string, string> = {}) => ({
    OAUTH_ISSUER: issuer(),
    OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true',
    OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE: COGNITO_CLIENT,
    OAUTH_ROLES_CLAIM: 'cognito',
    ...extra,
  });
  beforeEach(() =>
    serve(`/${POOL}/.well-known/openid-configuration`, issuer(), `/${POOL}/.well-known/jwks.json`, keys.cognito!),
  );

  /** A user-pool access token: no `aud`, `client_id` and `token_use: access`, resource-server scopes "<identifier>/<name>". */
  const access = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    sign(
      keys.cognito!,
      {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        'cognito:groups': ['admin'],
        iss: issuer(),
        version: 2,
        client_id: COGNITO_CLIENT,
        origin_jti: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
        event_id: 'cccccccc-dddd-eeee-ffff-aaaaaaaaaaaa',
        token_use: 'access',
        scope: 'openid petstore/pets:read petstore/pets:write',
        auth_time: now() - 60,
        ...times(),
        jti: 'dddddddd-eeee-ffff-aaaa-bbbbbbbbbbbb',
        username: 'alice',
        ...extra,
      },
      header,
    );

  it('accepts an access token of a listed app client; groups through "cognito"', async () => {
    const principal = await verify(env(), await access());
    expect(principal).toMatchObject({
      clientId: COGNITO_CLIENT,
      scopes: ['openid', 'petstore/pets:read', 'petstore/pets:write'],
    });
    expect(decide(principal, 'cognito', 'petstore/pets:write', 'admin')).toMatchObject({ allow: true });
  });

  it('without the client-id binding an access token is refused: it has no audience', async () => {
    const { OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE: _, ...strict } = env();
    const token = await access();
    await rejects(
      verify(strict, token),
      InvalidTokenError,
      'token has no audience ("aud"); it must name this resource (OAUTH_AUDIENCE)',
      token,
    );
  });

  it('refuses an access token of another app client of the same pool', async () => {
    const token = await access({ client_id: 'other4app5client6' });
    await rejects(
      verify(env(), token),
      InvalidTokenError,
      'token has no audience ("aud") and its client_id "other4app5client6" is not in OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE',
      token,
    );
  });

  it('refuses an audience-less token that nothing marks as an access token', async () => {
    const token = await access({ token_use: undefined });
    await rejects(
      verify(env(), token),
      InvalidTokenError,
      'token has no audience ("aud") and nothing marks it as an access token (typ at+jwt or token_use "access")',
      token,
    );
  });

  it('accepts an audience-less token typed at+jwt without token_use (the binding is not Cognito-only)', async () => {
    const token = await access({ token_use: undefined }, { typ: 'at+jwt' });
    await expect(verify(env({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'false' }), token)).resolves.toMatchObject({
      clientId: COGNITO_CLIENT,
    });
  });

  it('still holds a token that has an aud to OAUTH_AUDIENCE', async () => {
    const token = await access({ aud: 'https://other.example.com/mcp' });
    await rejects(
      verify(env(), token),
      InvalidTokenError,
      'token audience "https://other.example.com/mcp" is not this resource (OAUTH_AUDIENCE)',
      token,
    );
  });

  it('refuses an ID token even when OAUTH_AUDIENCE is set to the app client id (the tempting wrong fix)', async () => {
    const idToken = await access({
      aud: COGNITO_CLIENT,
      client_id: undefined,
      token_use: 'id',
      email: 'alice@example.com',
      'cognito:username': 'alice',
    });
    const { OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE: _, ...naive } = env();
    await rejects(
      verify({ ...naive, OAUTH_AUDIENCE: COGNITO_CLIENT }, idToken),
      InvalidTokenError,
      'token_use "id" is not an access token',
      idToken,
    );
  });
});

describe('the scope settings apply to introspected (opaque) tokens too', () => {
  it('reads OAUTH_SCOPES_CLAIM and applies OAUTH_GRANTED_SCOPE_PREFIX to an RFC 7662 answer', async () => {
    server.routes.set(
      '/introspect',
      json({
        active: true,
        iss: server.origin,
        aud: RESOURCE,
        sub: 'alice',
        scope: 'openid',
        permissions: ['pets.write'],
      }),
    );
    const principal = await verify(
      {
        OAUTH_ISSUER: server.origin,
        OAUTH_INTROSPECTION_URL: `${server.origin}/introspect`,
        OAUTH_INTROSPECTION_CLIENT_ID: 'mcp',
        OAUTH_INTROSPECTION_CLIENT_SECRET: 'secret',
        OAUTH_SCOPES_CLAIM: 'permissions',
        OAUTH_GRANTED_SCOPE_PREFIX: 'api://pets/',
      },
      'opaque-token-1',
    );
    expect(principal).toMatchObject({ via: 'introspection', scopes: ['api://pets/pets.write'] });
  });
});

describe('audience refusals', () => {
  it('treats an empty aud array as no audience', async () => {
    const key = keys.keycloak!;
    server.routes.set('/jwks', json({ keys: [key.jwk] }));
    const token = await sign(key, { iss: server.origin, aud: [], sub: 'alice', ...times() });
    await rejects(
      verify({ OAUTH_ISSUER: server.origin, OAUTH_JWKS_URI: `${server.origin}/jwks` }, token),
      InvalidTokenError,
      'token has no audience ("aud"); it must name this resource (OAUTH_AUDIENCE)',
      token,
    );
  });

  it('names at most three audiences', async () => {
    const key = keys.keycloak!;
    server.routes.set('/jwks', json({ keys: [key.jwk] }));
    const token = await sign(key, { iss: server.origin, aud: ['a', 'b', 'c', 'd'], sub: 'alice', ...times() });
    await rejects(
      verify({ OAUTH_ISSUER: server.origin, OAUTH_JWKS_URI: `${server.origin}/jwks` }, token),
      InvalidTokenError,
      'token audience "a", "b", "c", ... is not this resource (OAUTH_AUDIENCE)',
      token,
    );
  });
});

describe('OAUTH_SCOPES_CLAIM', () => {
  it.each([
    ['an array', { permissions: ['a', 'b', 'a'] }, ['a', 'b']],
    ['a space-separated string', { permissions: 'a b' }, ['a', 'b']],
    ['absent: no scopes, even with a scope claim', { scope: 'a b' }, []],
  ])('reads %s', (_, claims, want) => {
    expect(scopesFromClaims(claims, 'permissions')).toEqual(want);
  });

  it('refuses a malformed claim instead of granting nothing silently', () => {
    expect(() => scopesFromClaims({ permissions: [1] }, 'permissions')).toThrow(
      new InvalidTokenError('token "permissions" claim is neither a string nor an array of strings'),
    );
  });

  it('does not read inherited properties', () => {
    expect(scopesFromClaims({}, 'toString')).toEqual([]);
  });
});

describe('settings for identity providers', () => {
  const base = { OAUTH_ISSUER: 'https://auth.example.com/' };

  it('reads OAUTH_SCOPES_CLAIM, OAUTH_GRANTED_SCOPE_PREFIX and OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE', () => {
    expect(
      settings({
        ...base,
        OAUTH_SCOPES_CLAIM: 'permissions',
        OAUTH_GRANTED_SCOPE_PREFIX: `api://${ENTRA_API}/`,
        OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE: 'a1, b2,a1',
      }),
    ).toMatchObject({
      scopesClaim: 'permissions',
      grantedScopePrefix: `api://${ENTRA_API}/`,
      clientIdAudiences: ['a1', 'b2'],
    });
  });

  it('leaves all three unset by default', () => {
    const defaults = settings(base);
    expect(defaults).not.toHaveProperty('scopesClaim');
    expect(defaults).not.toHaveProperty('grantedScopePrefix');
    expect(defaults).not.toHaveProperty('clientIdAudiences');
  });

  it.each([
    ['OAUTH_SCOPES_CLAIM', 'two words', /OAUTH_SCOPES_CLAIM must be one claim name/],
    ['OAUTH_GRANTED_SCOPE_PREFIX', 'api://x y/', /OAUTH_GRANTED_SCOPE_PREFIX must consist of scope characters/],
    ['OAUTH_GRANTED_SCOPE_PREFIX', 'a"b', /OAUTH_GRANTED_SCOPE_PREFIX must consist of scope characters/],
    ['OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE', '*', /takes the client ids/],
    ['OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE', 'true', /takes the client ids/],
  ])('refuses %s=%j', (name, value, message) => {
    expect(() => settings({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => settings({ ...base, [name]: value })).toThrow(message);
  });
});

describe('docs/identity-providers.md', () => {
  const doc = readFileSync(join(REPO, 'docs', 'identity-providers.md'), 'utf8');
  const generatedReadme = readFileSync(join(REPO, 'templates', 'project', 'README.md.hbs'), 'utf8');

  /** Each recipe's `sh` block as an environment: `NAME=value` lines, comments dropped. */
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) =>
    Object.fromEntries(
      match[1]!
        .split('\n')
        .map((line) => line.replace(/\s+#.*$/, '').trim())
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    ),
  );

  it('has one server block per provider', () => {
    expect(blocks).toHaveLength(5);
  });

  it.each(blocks.map((env) => [env.OAUTH_ISSUER, env] as const))('the settings for %s load', (_, env) => {
    const publicUrl = new URL(env.MCP_PUBLIC_URL ?? RESOURCE);
    expect(() => loadAuthConfig(env, publicUrl)).not.toThrow();
  });

  it('names only variables the generated README documents', () => {
    const named = new Set(doc.match(/\bOAUTH_[A-Z_]+[A-Z]\b/g));
    expect(named.size).toBeGreaterThan(5);
    // The README's configuration table is rendered from the runtime's environment table.
    for (const name of named) expect(isEnvName(name) || generatedReadme.includes(`\`${name}\``), name).toBe(true);
  });
});
