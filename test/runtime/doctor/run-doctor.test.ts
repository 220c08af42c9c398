import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../../templates/runtime/doctor/run-doctor.js';
import { logDeploymentChecksAtStartup } from '../../../templates/runtime/doctor/startup-checks.js';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import {
  expectNoToken,
  now,
  sign,
  startAuthServer,
  testKey,
  type AuthServer,
  type TestKey,
} from '../auth/support/auth-server.js';
import { closedOrigin, PUBLIC_URL, petsApp, serveIssuer, startUpstream } from './support/doctor-fixtures.js';

let auth: AuthServer;
let key: TestKey;
let upstream: Awaited<ReturnType<typeof startUpstream>>;
let app: AppDefinition;

const goodEnv = (): Record<string, string> => ({
  MCP_PUBLIC_URL: PUBLIC_URL,
  HOST: '0.0.0.0',
  OAUTH_ISSUER: auth.origin,
  PETS_API_KEY: 'pets-api-key-secret',
});

async function doctor(argv: string[], env: Record<string, string>, stdin = '') {
  let out = '';
  let err = '';
  const code = await runDoctor(app, argv, {
    env,
    stdin: Readable.from([stdin]),
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}
const goodToken = () =>
  sign(key, {
    iss: auth.origin,
    aud: PUBLIC_URL,
    sub: 'alice',
    scope: 'pets:read',
    roles: ['admin'],
    iat: now(),
    exp: now() + 600,
  });
const statusLines = (out: string) => out.split('\n').filter((line) => /^(ok  |warn|FAIL) /.test(line));

beforeAll(async () => {
  auth = await startAuthServer();
  key = await testKey('ES256', 'k1');
  upstream = await startUpstream();
  app = petsApp(upstream.origin);
});
afterAll(async () => {
  await auth.stop();
  await upstream.stop();
});
beforeEach(() => serveIssuer(auth, [key.jwk]));

describe('npm run doctor', () => {
  it('passes a correct set-up with a sample token from stdin: every line ok, exit 0, the token never printed', async () => {
    const token = await goodToken();
    const { code, out, err } = await doctor(['--token', '-'], goodEnv(), `${token}\n`);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(statusLines(out).map((line) => line.slice(0, 4))).toEqual(Array(statusLines(out).length).fill('ok  '));
    expect(statusLines(out).map((line) => line.slice(5, line.indexOf(':', 5)))).toEqual([
      'public-url',
      'authorization',
      'issuer-metadata',
      'authorization-server-pkce',
      'authorization-server-registration',
      'jwks',
      'token-signature',
      'token-issuer',
      'token-audience',
      'token-type',
      'token-expiry',
      'token-roles',
      'token-tools',
      'token-accepted',
      'upstream-reachable',
      'upstream-credentials',
      'upstream-credentials',
    ]);
    expect(out).toContain(`sample token\n  issuer   ${auth.origin}\n  audience ${PUBLIC_URL}\n  subject  alice\n`);
    expect(out).toContain('  tools    1: listPets\n');
    expect(out).toMatch(/\n0 blocking problem\(s\), 0 warning\(s\), 17 ok: ready\n$/);
    expectNoToken(out, token);
    expect(out).not.toContain('pets-api-key-secret');
  });

  it('exits 1 and prints FAIL with what to set when anything blocks', async () => {
    const { code, out } = await doctor([], { ...goodEnv(), MCP_PUBLIC_URL: '', PETS_API_KEY: '' });
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL public-url: MCP_PUBLIC_URL is not set while HOST=0\.0\.0\.0 listens off loopback/m);
    expect(out).toMatch(
      /^FAIL upstream-credentials: 2 of 2 tool\(s\) have no upstream credentials .*: set PETS_API_KEY$/m,
    );
    expect(out).toMatch(
      /^ok   authorization: OAuth: issuer "[^"]+", tokens must carry aud <MCP_PUBLIC_URL, which is not usable>$/m,
    );
    expect(out).toMatch(/\n2 blocking problem\(s\), 1 warning\(s\), \d+ ok: not ready\n$/);
  });

  it('fails when the upstream does not answer', async () => {
    const { code, out } = await doctor([], { ...goodEnv(), UPSTREAM_BASE_URL: await closedOrigin() });
    expect(code).toBe(1);
    expect(out).toMatch(
      /^FAIL upstream-reachable: http:\/\/127\.0\.0\.1:\d+\/: could not be reached \(ECONNREFUSED\)/m,
    );
  });

  it('reports a configuration the server would refuse to start with', async () => {
    const { code, out } = await doctor([], { ...goodEnv(), OAUTH_ISSUER: '' });
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL authorization: MCP_AUTH=oauth needs OAUTH_ISSUER/m);
  });

  it('reports any other setting the server would refuse to start with', async () => {
    const { code, out } = await doctor([], { ...goodEnv(), PORT: 'eighty' });
    expect(code).toBe(1);
    expect(out).toMatch(
      /^FAIL server-config: PORT must be a whole number from 0 to 65535 \(got "eighty"\)\. The server refuses to start\.$/m,
    );
  });

  it('warns when OAUTH_AUDIENCE leaves out MCP_PUBLIC_URL, the resource MCP clients ask tokens for', async () => {
    const { code, out } = await doctor([], { ...goodEnv(), OAUTH_AUDIENCE: 'api://pets-mcp' });
    expect(code).toBe(0);
    expect(out).toMatch(
      /^warn audience: OAUTH_AUDIENCE does not include MCP_PUBLIC_URL https:\/\/mcp\.example\.com\/mcp: MCP clients ask for tokens with resource=https:\/\/mcp\.example\.com\/mcp \(RFC 8707\), so the authorization server must map that resource to api:\/\/pets-mcp; otherwise unset OAUTH_AUDIENCE$/m,
    );
  });

  it('warns when tools need roles and no roles claim is configured', async () => {
    const saved = app;
    app = petsApp(upstream.origin, '');
    try {
      const { out } = await doctor([], goodEnv());
      expect(out).toMatch(
        /^warn roles-claim: 1 tool\(s\) need a role \(deletePet\) but no roles claim is configured, so no caller can use them: set OAUTH_ROLES_CLAIM/m,
      );
    } finally {
      app = saved;
    }
  });

  it.each([
    [
      { MCP_AUTH: 'none', HOST: '0.0.0.0' },
      /^FAIL authorization: MCP_AUTH=none with HOST=0\.0\.0\.0: the server refuses to start off loopback/m,
    ],
    [
      { MCP_AUTH: 'none', HOST: '127.0.0.1', MCP_PUBLIC_URL: '' },
      /^warn authorization: MCP_AUTH=none: every tool is open to anyone who can connect/m,
    ],
    [{ MCP_AUTH: 'api-key' }, /^FAIL authorization: MCP_AUTH=api-key needs MCP_API_KEYS_FILE/m],
  ])('checks the other authorization modes: %j', async (env, line) => {
    const { out } = await doctor([], { ...goodEnv(), ...env });
    expect(out).toMatch(line);
  });

  it('prints JSON with --json, with the token summary and no token', async () => {
    const token = await sign(key, { iss: auth.origin, aud: 'account', sub: 'alice', iat: now(), exp: now() + 600 });
    const { code, out } = await doctor(['--json', '--token', token], goodEnv());
    expect(code).toBe(1);
    const report = JSON.parse(out) as {
      ok: boolean;
      checks: { id: string; status: string }[];
      token: { audience: string[] };
    };
    expect(report.ok).toBe(false);
    expect(report.token.audience).toEqual(['account']);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'token-audience',
      'token-accepted',
    ]);
    expect(report.checks.at(-1)).toEqual({
      id: 'token-input',
      status: 'warn',
      message:
        'the token was given on the command line, where ps and the shell history see it: pipe it to --token - instead',
    });
    expectNoToken(out, token);
  });

  it('warns over stdio that a token is not checked, and skips OAuth', async () => {
    const { code, out } = await doctor(['--token', 'a.b.c'], { MCP_TRANSPORT: 'stdio', PETS_API_KEY: 'k' });
    expect(code).toBe(0);
    expect(out).toMatch(/^ok   authorization: stdio: the local user is trusted/m);
    expect(out).toMatch(/^warn token: a sample token is only checked for MCP_TRANSPORT=http$/m);
  });

  it.each([[['--token']], [['--verbose']], [['--timeout', '5']]])(
    'answers a usage error %j with exit 2',
    async (argv) => {
      const { code, out, err } = await doctor(argv, goodEnv());
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(/usage: npm run doctor -- \[--token <jwt> \| --token -\] \[--json\] \[--timeout <ms>\]/);
    },
  );

  it('refuses an empty token on stdin', async () => {
    const { code, err } = await doctor(['--token', '-'], goodEnv(), '  \n');
    expect(code).toBe(2);
    expect(err).toMatch(/^no token given/);
  });
});

describe('the checks logged at start-up', () => {
  it('logs a missing public URL and upstream credential as JSON lines, without probing the network', async () => {
    const lines: string[] = [];
    const seen = upstream.seen.length;
    const problems = await logDeploymentChecksAtStartup(app, { HOST: '0.0.0.0' }, (line) => lines.push(line));
    expect(problems.map((p) => p.id)).toEqual(['public-url', 'upstream-credentials:apiKey', 'upstream-credentials']);
    expect(lines.map((line) => JSON.parse(line) as Record<string, string>)).toEqual([
      {
        level: 'error',
        check: 'doctor:public-url',
        msg: expect.stringMatching(/^MCP_PUBLIC_URL is not set .*\(npm run doctor checks the whole deployment\)$/),
      },
      {
        level: 'warn',
        check: 'doctor:upstream-credentials:apiKey',
        msg: expect.stringMatching(/^not set: set PETS_API_KEY/),
      },
      {
        level: 'error',
        check: 'doctor:upstream-credentials',
        msg: expect.stringMatching(/would call the API without them: set PETS_API_KEY/),
      },
    ]);
    expect(upstream.seen.length).toBe(seen);
  });

  it('logs nothing for a correct set-up', async () => {
    const lines: string[] = [];
    expect(await logDeploymentChecksAtStartup(app, goodEnv(), (line) => lines.push(line))).toEqual([]);
    expect(lines).toEqual([]);
  });
});
