import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject, REPO, runInProject } from '../../support/generated-project.js';
import {
  expectNoToken,
  now,
  sign,
  startAuthServer,
  testKey,
  type AuthServer,
  type TestKey,
} from '../auth/support/auth-server.js';
import { PUBLIC_URL, serveIssuer, startUpstream } from './support/doctor-fixtures.js';

// `npm run doctor` as a team runs it in a generated project: built with tsc, the script from package.json.
let project: string;
let auth: AuthServer;
let key: TestKey;
let upstream: Awaited<ReturnType<typeof startUpstream>>;

beforeAll(async () => {
  project = generateProject(join(REPO, 'fixtures/auth/pets-oauth.yaml'), 'doctor');
  const build = runInProject(project, 'tsc', ['-p', 'tsconfig.json']);
  expect(build.stdout + build.stderr).toBe('');
  auth = await startAuthServer();
  key = await testKey('ES256', 'k1');
  serveIssuer(auth, [key.jwk]);
  upstream = await startUpstream();
}, 240_000);
afterAll(async () => {
  await auth?.stop();
  await upstream?.stop();
});

/** Asynchronous, so that this process's issuer and upstream can answer the doctor meanwhile. */
function npmRunDoctor(args: readonly string[], env: Record<string, string>, input: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'doctor', '--', ...args], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npm run doctor in a generated project', () => {
  const env = () => ({
    MCP_TRANSPORT: 'http',
    MCP_PUBLIC_URL: PUBLIC_URL,
    OAUTH_ISSUER: auth.origin,
    UPSTREAM_BASE_URL: upstream.origin,
    UPSTREAM_REGISTRY_AUTH_ACCESS_TOKEN: 'upstream-static-token',
  });

  it('passes a correct set-up and inspects a token read from stdin, exit 0', async () => {
    const token = await sign(key, {
      iss: auth.origin,
      aud: PUBLIC_URL,
      sub: 'vet-1',
      scope: 'pets:read',
      roles: ['vet'],
      iat: now(),
      exp: now() + 600,
    });
    const result = await npmRunDoctor(['--token', '-'], env(), token);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/^(FAIL|warn) /m);
    expect(result.stdout).toMatch(/^ok   token-accepted: this server accepts the token \(subject "vet-1"\)$/m);
    expect(result.stdout).toMatch(/\n0 blocking problem\(s\), 0 warning\(s\), \d+ ok: ready\n$/);
    expect(result.code).toBe(0);
    expectNoToken(result.stdout, token);
    expect(result.stdout).not.toContain('upstream-static-token');
  });

  it('exits 1 and names the fix for a trailing-slash issuer and a missing upstream credential', async () => {
    const result = await npmRunDoctor(
      ['--json'],
      { ...env(), OAUTH_ISSUER: `${auth.origin}/`, UPSTREAM_REGISTRY_AUTH_ACCESS_TOKEN: '' },
      '',
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: { id: string; status: string; message: string }[];
    };
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.id)).toEqual(['issuer-metadata', 'upstream-credentials']);
    expect(failed[0]?.message).toContain(`set OAUTH_ISSUER to "${auth.origin}"`);
    expect(failed[1]?.message).toMatch(
      /set UPSTREAM_REGISTRY_AUTH_ACCESS_TOKEN or UPSTREAM_REGISTRY_AUTH_CLIENT_ID and UPSTREAM_REGISTRY_AUTH_CLIENT_SECRET$/,
    );
  });
});
