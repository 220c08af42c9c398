import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import type { RunningHttpServer } from '../../../templates/runtime/server/http-server.js';
import { startHttp } from '../../../templates/runtime/server/main.js';
import { REPO } from '../../support/generated-project.js';
import { appFromSpec } from '../../support/in-process-app.js';
import { json, now, sign, startAuthServer, testKey, type AuthServer, type TestKey } from './support/auth-server.js';

// The start-up check as `main` runs it: logged at once, and the server still fails closed.
let auth: AuthServer;
let key: TestKey;
let app: AppDefinition;
let running: RunningHttpServer | undefined;
const lines: string[] = [];

beforeAll(async () => {
  auth = await startAuthServer();
  key = await testKey('ES256');
  auth.routes.set(
    '/.well-known/oauth-authorization-server',
    json({ issuer: `${auth.origin}/`, jwks_uri: `${auth.origin}/jwks` }),
  );
  auth.routes.set('/jwks', json({ keys: [key.jwk] }));
  const built = await appFromSpec(join(REPO, 'fixtures/auth/pets-oauth.yaml'));
  app = {
    ...built,
    tools: built.tools.map((t) => (t.name === 'deletePet' ? { ...t, access: { ...t.access, roles: ['vet'] } } : t)),
  };
});
afterAll(async () => {
  await running?.close();
  await auth.stop();
});

describe('main runs the authorization start-up check', () => {
  it('logs an issuer mismatch and a role-guarded tool at start-up, starts anyway and answers 503', async () => {
    running = await startHttp(
      app,
      {
        MCP_AUTH: 'oauth',
        HOST: '127.0.0.1',
        PORT: '0',
        MCP_PUBLIC_URL: 'http://127.0.0.1/mcp',
        OAUTH_ISSUER: auth.origin,
        UPSTREAM_BASE_URL: 'http://127.0.0.1:9',
      },
      { log: (line) => lines.push(line) },
    );
    const startup = () =>
      lines
        .map((l) => JSON.parse(l) as { level: string; msg: string; check?: string })
        .filter((l) => l.check === 'authorization-startup');
    await vi.waitFor(() => expect(startup()).toHaveLength(2), { timeout: 5000, interval: 20 });
    expect(startup()).toEqual([
      {
        level: 'warn',
        msg: expect.stringMatching(/^\d+ tool\(s\) require a role \(.*deletePet.*\) .* set OAUTH_ROLES_CLAIM/),
        check: 'authorization-startup',
      },
      {
        level: 'error',
        msg: expect.stringContaining(`set OAUTH_ISSUER to "${auth.origin}/"`),
        check: 'authorization-startup',
      },
    ]);
    const token = await sign(key, { iss: auth.origin, aud: 'http://127.0.0.1/mcp', sub: 'alice', exp: now() + 60 });
    const response = await fetch(running.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(503);
  });
});
