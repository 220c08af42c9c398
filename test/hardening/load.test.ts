import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthorizationServer, type AuthorizationServer } from '../support/authorization-server.js';
import { REPO } from '../support/generated-project.js';
import { buildGeneratedServer, freePort, startGeneratedServer, type LiveServer } from '../support/live-server.js';
import { runLoad } from '../support/load-driver.js';
import { postMcp, toolsCall } from '../support/mcp-post.js';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';

/**
 * Issue 9, "Load": 10,000 authorized calls (real JWTs from the in-process authorization server)
 * at 50 concurrency against a generated server: 0 errors, and the server's RSS after the second
 * half within 10% of its RSS after the first (a leak per call would grow it). No timing
 * assertion: speed belongs to `npm run bench`; the one-line figures are for the record.
 */

const CALLS = 10_000;
const CONCURRENCY = 50;
const TOKENS = 20;
const SCOPES = ['pets:admin', 'pets:read', 'pets:write'];

let as: AuthorizationServer;
let upstream: RecordingUpstream;
let server: LiveServer;
let tokens: string[];

beforeAll(async () => {
  const project = await buildGeneratedServer(join(REPO, 'fixtures/auth/pets-oauth.yaml'), 'hardening-load');
  const port = await freePort();
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  as = await startAuthorizationServer({
    resources: { [mcpUrl]: { scopes: SCOPES } },
    defaultResource: mcpUrl,
    clients: Array.from({ length: TOKENS }, (_, i) => ({ clientId: `load-${i}`, roles: ['owner'] })),
    rolesClaim: 'roles',
  });
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({
    headers: { 'content-type': 'application/json' },
    body: '{"items":[{"id":"p1","name":"Rex"}]}',
  }));
  tokens = await Promise.all(
    Array.from(
      { length: TOKENS },
      async (_, i) =>
        (await as.clientCredentialsToken({ clientId: `load-${i}`, scope: 'pets:read', resource: mcpUrl })).access_token,
    ),
  );
  server = await startGeneratedServer(project, {
    MCP_TRANSPORT: 'http',
    PORT: String(port),
    MCP_PUBLIC_URL: mcpUrl,
    OAUTH_ISSUER: as.issuer,
    UPSTREAM_BASE_URL: upstream.baseUrl,
  });
});

afterAll(async () => {
  await server?.stop();
  await as?.close();
  await upstream?.close();
});

describe('load', () => {
  it(
    `${CALLS} authorized tools/call at ${CONCURRENCY} concurrency: 0 errors, RSS steady`,
    { timeout: 240_000 },
    async () => {
      const one = async (index: number): Promise<string | undefined> => {
        const response = await postMcp(server.url, toolsCall('listPets', { limit: 1 + (index % 50) }, index), {
          authorization: `Bearer ${tokens[index % TOKENS]}`,
        });
        const result = response.message?.result as { isError?: boolean } | undefined;
        if (response.status !== 200 || !result || result.isError === true)
          return `HTTP ${response.status} ${response.text.slice(0, 200)}`;
        return undefined;
      };
      const half = CALLS / 2;
      const started = Date.now();
      const first = await runLoad(half, CONCURRENCY, one);
      upstream.requests.length = 0;
      const rssFirst = server.rssKb();
      const second = await runLoad(half, CONCURRENCY, (i) => one(half + i));
      const rssSecond = server.rssKb();
      const seconds = (Date.now() - started) / 1000;
      const errors = first.errors + second.errors;
      console.log(
        `load: ${CALLS} calls at ${CONCURRENCY} concurrency, ${errors} errors, RSS ${rssFirst} kB after first half, ${rssSecond} kB after second (${(((rssSecond - rssFirst) / rssFirst) * 100).toFixed(1)}%), ${(CALLS / seconds).toFixed(0)} calls/s on this machine`,
      );
      expect([...first.failures, ...second.failures]).toEqual([]);
      expect(errors).toBe(0);
      expect(upstream.requests).toHaveLength(half);
      expect(server.alive()).toBe(true);
      expect(rssSecond).toBeLessThanOrEqual(rssFirst * 1.1);
      expect(
        server
          .stderr()
          .split('\n')
          .filter((line) => line.includes('"outcome":"allow"')).length,
      ).toBeGreaterThanOrEqual(CALLS);
    },
  );
});
