import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject, REPO } from '../support/generated-project.js';
import { connectWithOAuth, HeadlessOAuthClientProvider } from '../support/oauth-client.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';
import { signInThroughPages } from '../support/sign-in-pages.js';
import { freePort } from '../support/free-port.js';

/**
 * Issue 11, done means: in a generated project, `npm run dev` plus the SDK's OAuth client
 * completes discovery, registration, PKCE, token, list, call and a step-up with no other
 * process. The project is generated, `npm run dev` builds and starts it, the upstream comes from
 * `.env`, and `npm run token` mints a token for scripts.
 */

let project: string;
let upstream: RecordingUpstream;
let dev: ChildProcess;
let output = '';
let mcpUrl: string;

beforeAll(async () => {
  project = generateProject(join(REPO, 'fixtures/auth/pets-oauth.yaml'), 'dev-server');
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [] }) }));
  // Only through .env: `npm run dev` must read it.
  writeFileSync(join(project, '.env'), `UPSTREAM_BASE_URL=${upstream.baseUrl}\n`);
  const [port, authPort] = [await freePort(), await freePort()];
  dev = spawn('npm', ['run', 'dev'], {
    cwd: project,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      DEV_AUTH_PORT: String(authPort),
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  mcpUrl = await printedMcpUrl(dev);
}, 240_000);

afterAll(async () => {
  // npm runs the server in a child of its own: end the whole group.
  if (dev?.pid) process.kill(-dev.pid, 'SIGTERM');
  await upstream?.close();
});

describe('npm run dev in a generated project', () => {
  it('prints where to point a client, and reads .env', () => {
    expect(mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(output).toContain('loaded .env: UPSTREAM_BASE_URL');
    expect(output).toContain('claude mcp add --transport http');
  });

  it('a real SDK client signs in with PKCE, lists, calls, and steps up after a 403', async () => {
    let choices: Parameters<typeof signInThroughPages>[0] = { user: 'alice', untick: ['pets:write', 'pets:admin'] };
    const provider = new HeadlessOAuthClientProvider({
      userAgent: (url, redirect) => signInThroughPages(choices)(url, redirect),
    });
    const connection = await connectWithOAuth(mcpUrl, { provider, protocolVersion: '2026-07-28' });
    try {
      const { tools } = await connection.authorized(() => connection.client.listTools());
      expect(tools.map((t) => t.name).sort()).toEqual(['getHealth', 'getPet', 'listPets']);
      upstream.requests.length = 0;
      const result = await connection.authorized(() => connection.client.callTool({ name: 'listPets', arguments: {} }));
      expect(result.isError ?? false).toBe(false);
      expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/pets']);
      choices = { user: 'alice' };
      const created = await connection.authorized(() =>
        connection.client.callTool({ name: 'createPet', arguments: { body: { name: 'Rex' } } }),
      );
      expect(created.isError ?? false).toBe(false);
      expect(provider.authorizationRequests).toHaveLength(2);
      expect(upstream.requests.some((r) => r.method === 'POST')).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('npm run token prints a token the running server accepts', async () => {
    const token = spawnSync('npm', ['run', '--silent', 'token', '--', '--scope', 'pets:read'], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    });
    expect(token.status, token.stderr).toBe(0);
    const response = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token.stdout.trim()}`,
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(200);
  });
});

function printedMcpUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev did not print its URL:\n${output}`)), 200_000);
    const look = () => {
      const match = /MCP server \(development\):\s+(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run dev exited with ${code}:\n${output}`));
    });
  });
}
