import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JWTPayload } from 'jose';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import type { DoctorCheck } from '../../../templates/runtime/doctor/check.js';
import { checkJwks } from '../../../templates/runtime/doctor/jwks-check.js';
import { checkToken } from '../../../templates/runtime/doctor/token-check.js';
import {
  expectNoToken,
  now,
  sign,
  startAuthServer,
  testKey,
  type AuthServer,
  type TestKey,
} from '../auth/support/auth-server.js';
import { PUBLIC_URL, petsApp, serveIssuer } from './support/doctor-fixtures.js';

let auth: AuthServer;
let key: TestKey;

const settings = (env: Record<string, string> = {}): OAuthSettings =>
  loadAuthConfig({ OAUTH_ISSUER: auth.origin, ...env }, new URL(PUBLIC_URL)) as OAuthSettings;
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  iss: auth.origin,
  aud: PUBLIC_URL,
  sub: 'alice',
  client_id: 'inspector',
  scope: 'pets:read pets:write',
  roles: ['admin'],
  iat: now(),
  exp: now() + 600,
  ...extra,
});

async function inspect(token: string, options: { env?: Record<string, string> } = {}) {
  const oauth = settings(options.env);
  const { getKey } = await checkJwks(oauth, new URL(`${auth.origin}/jwks`), 1000);
  const result = await checkToken(token, petsApp('https://api.example.com'), oauth, {
    ...(getKey ? { getKey } : {}),
    rolesClaim: 'roles',
    timeoutMs: 1000,
    now: Date.now(),
  });
  expectNoToken(JSON.stringify(result), token);
  return result;
}
const byId = (checks: readonly DoctorCheck[], id: string) => checks.find((c) => c.id === id);
const failed = (checks: readonly DoctorCheck[]) => checks.filter((c) => c.status === 'fail').map((c) => c.id);

beforeAll(async () => {
  auth = await startAuthServer();
  key = await testKey('ES256', 'k1');
});
afterAll(() => auth.stop());
beforeEach(() => serveIssuer(auth, [key.jwk]));

describe('a sample token', () => {
  it('passes every check and shows its claims and the tools it may call', async () => {
    const token = await sign(key, claims());
    const { checks, summary } = await inspect(token);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['token-signature', 'ok'],
      ['token-issuer', 'ok'],
      ['token-audience', 'ok'],
      ['token-type', 'ok'],
      ['token-expiry', 'ok'],
      ['token-roles', 'ok'],
      ['token-tools', 'ok'],
      ['token-accepted', 'ok'],
    ]);
    expect(summary).toMatchObject({
      issuer: auth.origin,
      audience: [PUBLIC_URL],
      subject: 'alice',
      clientId: 'inspector',
      scopes: ['pets:read', 'pets:write'],
      roles: ['admin'],
      typ: 'at+jwt',
      tools: ['listPets', 'deletePet'],
    });
    expect(byId(checks, 'token-tools')?.message).toBe('may call 2 of 2 tool(s): listPets, deletePet');
  });

  it("fails on Keycloak's default audience and says to add an audience mapper, not to accept it", async () => {
    const token = await sign(key, claims({ aud: 'account' }));
    const { checks } = await inspect(token);
    expect(failed(checks)).toEqual(['token-audience', 'token-accepted']);
    expect(byId(checks, 'token-audience')?.message).toBe(
      `aud ["account"] is not for this server, which accepts ["${PUBLIC_URL}"] (RFC 8707). "account" is Keycloak's default audience, not this server: add an Audience mapper (included client audience or custom audience "${PUBLIC_URL}") to the client scope the MCP client gets, and do not accept "account"`,
    );
    expect(byId(checks, 'token-accepted')?.message).toBe(
      'this server refuses the token: token audience "account" is not this resource (OAUTH_AUDIENCE)',
    );
  });

  it('names OAUTH_AUDIENCE for an Entra api:// audience', async () => {
    const token = await sign(key, claims({ aud: 'api://pets-mcp' }));
    const { checks } = await inspect(token);
    expect(byId(checks, 'token-audience')?.message).toMatch(
      /"api:\/\/pets-mcp" looks like a Microsoft Entra ID application .*set OAUTH_AUDIENCE=api:\/\/pets-mcp/,
    );
  });

  it('shows at most five audiences, each cut short', async () => {
    const many = Array.from({ length: 7 }, (_, i) => `https://other-${i}.example.com/${'x'.repeat(50)}`);
    const { checks } = await inspect(await sign(key, claims({ aud: many })));
    expect(byId(checks, 'token-audience')?.message).toMatch(
      /^aud \["https:\/\/other-0\.example\.com\/x{12}\.\.\.", (".{43}", ){3}".{43}", \.\.\. \(7\)\] is not for this server/,
    );
  });

  it('fails an expired token and says when it expired', async () => {
    const exp = now() - 3600;
    const token = await sign(key, claims({ iat: exp - 600, exp }));
    const { checks } = await inspect(token);
    expect(failed(checks)).toEqual(['token-expiry', 'token-accepted']);
    expect(byId(checks, 'token-expiry')?.message).toBe(
      `the token expired at ${new Date(exp * 1000).toISOString()} (60 min ago): get a fresh token`,
    );
    expect(byId(checks, 'token-accepted')?.message).toBe('this server refuses the token: token expired');
  });

  it('fails a token typed JWT and names the opt-out', async () => {
    const token = await sign(key, claims(), { typ: 'JWT' });
    const { checks } = await inspect(token);
    expect(failed(checks)).toEqual(['token-type', 'token-accepted']);
    expect(byId(checks, 'token-type')?.message).toBe(
      'token typ "JWT" is not at+jwt (RFC 9068); set OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT=true to accept it',
    );
  });

  it('fails a token of another type (an ID token or logout token is not an access token)', async () => {
    const token = await sign(key, claims(), { typ: 'logout+jwt' });
    const { checks } = await inspect(token, { env: { OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: 'true' } });
    expect(byId(checks, 'token-type')?.message).toBe(
      'token typ "logout+jwt" is not at+jwt (RFC 9068); it is not an access token',
    );
  });

  it('warns when tools need roles and the token lacks the roles claim, pointing at the claim it has', async () => {
    const token = await sign(key, claims({ roles: undefined, realm_access: { roles: ['admin'] } }));
    const { checks, summary } = await inspect(token);
    expect(byId(checks, 'token-roles')).toEqual({
      id: 'token-roles',
      status: 'warn',
      message:
        '1 tool(s) need a role but the token has no claim "roles" (OAUTH_ROLES_CLAIM=roles). The token has roles at "realm_access.roles" (OAUTH_ROLES_CLAIM=keycloak): set OAUTH_ROLES_CLAIM accordingly',
    });
    expect(summary?.tools).toEqual(['listPets']);
    expect(byId(checks, 'token-tools')?.message).toBe(
      'may call 1 of 2 tool(s): listPets; not 1 (requires one of the roles admin)',
    );
  });

  it("points at Auth0's namespaced roles claim", async () => {
    const token = await sign(
      key,
      claims({ roles: undefined, 'https://pets.example.com/roles': ['admin'], permissions: ['pets:read'] }),
    );
    const { checks } = await inspect(token);
    expect(byId(checks, 'token-roles')?.message).toMatch(
      /"https:\/\/pets\.example\.com\/roles" \(OAUTH_ROLES_CLAIM=auth0:https:\/\/pets\.example\.com\)/,
    );
  });

  it('fails a token signed by a key the issuer does not publish', async () => {
    const stranger = await testKey('ES256', 'k1');
    const token = await sign(stranger, claims());
    const { checks } = await inspect(token);
    expect(failed(checks)).toEqual(['token-signature', 'token-accepted']);
    expect(byId(checks, 'token-signature')?.message).toBe(
      'the signature does not verify: the token was altered or signed by another key',
    );
    expect(byId(checks, 'token-accepted')?.message).toBe('this server refuses the token: token signature invalid');
  });

  it('fails a token from another issuer', async () => {
    const token = await sign(key, claims({ iss: 'https://login.example.com/' }));
    const { checks } = await inspect(token);
    expect(byId(checks, 'token-issuer')?.message).toBe(
      `iss "https://login.example.com/" is not OAUTH_ISSUER "${auth.origin}": they must be identical; check OAUTH_ISSUER or where the token comes from`,
    );
  });

  it('warns when the token may call no tool', async () => {
    const token = await sign(key, claims({ scope: 'openid profile' }));
    const { checks } = await inspect(token);
    expect(byId(checks, 'token-tools')).toEqual({
      id: 'token-tools',
      status: 'warn',
      message:
        'may call none of the 2 tool(s) (missing scope pets:read; missing scope pets:write): request the scopes the tools need, or grant the roles',
    });
  });

  it('checks the signature with a static OAUTH_PUBLIC_KEY', async () => {
    const token = await sign(key, claims());
    const { checks } = await inspect(token, { env: { OAUTH_PUBLIC_KEY: key.pem } });
    expect(byId(checks, 'token-signature')?.status).toBe('ok');
    const stranger = await testKey('ES256', 'k1');
    const forged = await inspect(await sign(stranger, claims()), { env: { OAUTH_PUBLIC_KEY: key.pem } });
    expect(failed(forged.checks)).toEqual(['token-signature', 'token-accepted']);
  });

  it('asks the introspection endpoint about an opaque token', async () => {
    auth.routes.set('/introspect', (_req, res, body) => {
      const active = new URLSearchParams(body).get('token') === 'opaque-token-value-0123456789';
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(
            active
              ? { active: true, iss: auth.origin, aud: PUBLIC_URL, sub: 'svc', scope: 'pets:read' }
              : { active: false },
          ),
        );
    });
    const env = {
      OAUTH_INTROSPECTION_URL: `${auth.origin}/introspect`,
      OAUTH_INTROSPECTION_CLIENT_ID: 'rs',
      OAUTH_INTROSPECTION_CLIENT_SECRET: 'rs-secret',
    };
    expect((await inspect('opaque-token-value-0123456789', { env })).checks).toEqual([
      { id: 'token-accepted', status: 'ok', message: 'this server accepts the token (subject "svc")' },
    ]);
    expect((await inspect('revoked-token-value-0123456789', { env })).checks).toEqual([
      {
        id: 'token-accepted',
        status: 'fail',
        message: 'this server refuses the token: token is not active',
      },
    ]);
  });

  it('refuses something that is not a JWT without echoing it', async () => {
    const token = 'opaque-token-value-0123456789';
    const { checks } = await inspect(token);
    expect(checks).toEqual([
      {
        id: 'token-accepted',
        status: 'fail',
        message:
          'the sample token is not a JWT (opaque tokens need OAUTH_INTROSPECTION_*); this server refuses the token: malformed token',
      },
    ]);
  });
});
