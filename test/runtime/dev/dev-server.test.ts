import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDocument } from '../../../src/load/index.js';
import { buildModel } from '../../../src/model/build-model.js';
import { ConfigError } from '../../../templates/runtime/config/config-error.js';
import { consentPage, loginPage } from '../../../templates/runtime/dev/interaction-pages.js';
import { mintDevToken, parseTokenArgs } from '../../../templates/runtime/dev/dev-token.js';
import { readDevState } from '../../../templates/runtime/dev/dev-state.js';
import type { RunningDev } from '../../../templates/runtime/dev/start-dev.js';
import { startDev } from '../../../templates/runtime/dev/start-dev.js';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import { REPO } from '../../support/generated-project.js';
import { connectWithOAuth, HeadlessOAuthClientProvider } from '../../support/oauth-client.js';
import { startRecordingUpstream } from '../../support/recording-upstream.js';
import type { RecordingUpstream } from '../../support/recording-upstream.js';
import { signInThroughPages } from '../../support/sign-in-pages.js';
import { freePort } from '../../support/free-port.js';

/** Both servers' ports, chosen where no other server's `listen(0)` can take them meanwhile. */
async function ports(): Promise<{ PORT: string; DEV_AUTH_PORT: string }> {
  return { PORT: String(await freePort()), DEV_AUTH_PORT: String(await freePort()) };
}

// Issue 11 item 3: `npm run dev` is the generated server plus a development authorization
// server, and a real MCP client's own OAuth flow (discovery from the 401, dynamic registration,
// authorization code + PKCE with the resource indicator, token, list, call, step-up) completes
// against it with no other identity provider.

let app: AppDefinition;
let upstream: RecordingUpstream;
let dev: RunningDev;
let stateDir: string;
const logs: string[] = [];

beforeAll(async () => {
  const loaded = await loadDocument(join(REPO, 'fixtures/auth/pets-oauth.yaml'));
  const model = buildModel(loaded, {
    scopes: { implies: { 'pets:admin': ['pets:write'], 'pets:write': ['pets:read'] } },
    authorization: { rolesClaim: 'roles' },
  });
  const schemes = Object.fromEntries(model.schemes.filter((s) => s.upstream).map((s) => [s.name, s.upstream!]));
  app = { server: model.server, tools: model.tools, defs: model.defs, schemes, authorization: model.authorization };
  upstream = await startRecordingUpstream();
  stateDir = mkdtempSync(join(tmpdir(), 'dev-state-'));
  dev = await startDev(
    app,
    { ...(await ports()), UPSTREAM_BASE_URL: upstream.baseUrl },
    { stateFile: join(stateDir, 'dev-auth.json'), log: (line) => logs.push(line) },
  );
});

afterAll(async () => {
  await dev?.close();
  await upstream?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('npm run dev: a real MCP client signs in through the development authorization server', () => {
  it('discovers, registers, signs in with PKCE, lists and calls; a 403 steps up through a second consent', async () => {
    const pages = { pages: [] as string[] };
    // First consent: the developer leaves out pets:write and pets:admin, as a cautious user would.
    let choices: Parameters<typeof signInThroughPages>[0] = {
      user: 'alice',
      roles: ['vet'],
      untick: ['pets:write', 'pets:admin'],
    };
    const provider = new HeadlessOAuthClientProvider({
      userAgent: (url, redirect) => signInThroughPages(choices, pages)(url, redirect),
    });
    const connection = await connectWithOAuth(dev.mcpUrl, { provider });
    try {
      const claims = provider.accessTokenClaims()!;
      expect(claims).toMatchObject({ iss: dev.issuer, aud: dev.mcpUrl, sub: 'alice', roles: ['vet'] });
      expect(String(claims['scope']).split(' ')).toContain('pets:read');
      expect(String(claims['scope']).split(' ')).not.toContain('pets:write');
      expect(decodeProtectedHeader(provider.tokens()!.access_token).typ).toBe('at+jwt');
      // The login page offered the role; the consent page showed the scopes asked for.
      expect(pages.pages.some((html) => html.includes('value="vet"'))).toBe(true);
      expect(pages.pages.some((html) => html.includes('value="pets:write"'))).toBe(true);

      const { tools } = await connection.authorized(() => connection.client.listTools());
      expect(tools.map((t) => t.name).sort()).toEqual(['getHealth', 'getPet', 'listPets']);
      upstream.requests.length = 0;
      const listed = await connection.authorized(() =>
        connection.client.callTool({ name: 'listPets', arguments: { limit: 2 } }),
      );
      expect(listed.isError ?? false).toBe(false);
      expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/pets?limit=2']);
      expect(upstream.requests[0]?.headers['authorization']).toBeUndefined();

      // Step-up: createPet needs pets:write; the SDK re-authorizes and this time the developer allows it.
      choices = { user: 'alice', roles: ['vet'] };
      const created = await connection.authorized(() =>
        connection.client.callTool({ name: 'createPet', arguments: { body: { name: 'Rex' } } }),
      );
      expect(created.isError ?? false).toBe(false);
      expect(String(provider.accessTokenClaims()!['scope']).split(' ')).toContain('pets:write');
      expect(provider.authorizationRequests.map((r) => r.resource)).toEqual([dev.mcpUrl, dev.mcpUrl]);
    } finally {
      await connection.close();
    }
  });

  it('a role the developer did not tick is not in the token, so the role-guarded tool is refused', async () => {
    const provider = new HeadlessOAuthClientProvider({ userAgent: signInThroughPages({ user: 'bob' }) });
    const connection = await connectWithOAuth(dev.mcpUrl, { provider });
    try {
      expect(provider.accessTokenClaims()!['roles'] ?? []).toEqual([]);
      const { tools } = await connection.authorized(() => connection.client.listTools());
      expect(tools.map((t) => t.name)).not.toContain('deletePet');
    } finally {
      await connection.close();
    }
  });

  it('Deny on the consent page gives the client no token', async () => {
    const provider = new HeadlessOAuthClientProvider({ userAgent: signInThroughPages({ user: 'carol', deny: true }) });
    await expect(connectWithOAuth(dev.mcpUrl, { provider })).rejects.toThrow(/access_denied/);
    expect(provider.tokens()).toBeUndefined();
  });
});

describe('npm run token', () => {
  it('mints a token the dev server accepts, from the key npm run dev left (readable by its owner only)', async () => {
    const file = join(stateDir, 'dev-auth.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const state = readDevState(file)!;
    const token = await mintDevToken(
      state,
      parseTokenArgs(['--scope', 'pets:read', '--role', 'vet', '--sub', 'script']),
    );
    expect(decodeJwt(token)).toMatchObject({
      iss: dev.issuer,
      aud: dev.mcpUrl,
      sub: 'script',
      scope: 'pets:read',
      roles: ['vet'],
    });
    const response = await fetch(dev.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('listPets');
  });

  it('says how to use it when the arguments are wrong', () => {
    expect(() => parseTokenArgs(['--scopes', 'x'])).toThrow(/usage: npm run token/);
    expect(() => parseTokenArgs(['--ttl', '0'])).toThrow(/--ttl is seconds/);
    expect(parseTokenArgs(['--scope', 'a b', '--scope', 'b,c'])).toMatchObject({
      scopes: ['a', 'b', 'c'],
      subject: 'developer',
      ttlSeconds: 3600,
    });
  });
});

describe('safety of the development server', () => {
  it('refuses to bind anywhere but loopback', async () => {
    await expect(startDev(app, { HOST: '0.0.0.0', PORT: '0', UPSTREAM_BASE_URL: upstream.baseUrl })).rejects.toThrow(
      ConfigError,
    );
    await expect(startDev(app, { HOST: '0.0.0.0', PORT: '0', UPSTREAM_BASE_URL: upstream.baseUrl })).rejects.toThrow(
      /only binds to loopback/,
    );
  });

  it('escapes what it shows: names reach its pages as text, never as markup', () => {
    const login = loginPage({ uid: 'u1', clientName: '<script>alert(1)</script>', roles: ['"><img src=x>'] });
    const consent = consentPage({ uid: 'u1', clientName: 'c', scopes: ['<b>'] });
    expect(login).not.toContain('<script>alert');
    expect(login).not.toContain('"><img');
    expect(login).toContain('&#60;script&#62;');
    expect(consent).not.toContain('<b>"');
    expect(consent).toContain('value="&#60;b&#62;"');
  });

  it('keeps its signing key across restarts, so tokens already issued stay valid', async () => {
    const before = readDevState(join(stateDir, 'dev-auth.json'))!;
    const again = await startDev(
      app,
      { ...(await ports()), UPSTREAM_BASE_URL: upstream.baseUrl },
      { stateFile: join(stateDir, 'dev-auth.json'), log: () => {} },
    );
    try {
      expect(readDevState(join(stateDir, 'dev-auth.json'))!.signingKey.kid).toBe(before.signingKey.kid);
    } finally {
      await again.close();
    }
  });
});
