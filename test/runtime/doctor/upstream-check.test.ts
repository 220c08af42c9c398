import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkUpstreamCredentials,
  checkUpstreamReachable,
  upstreamBaseUrl,
} from '../../../templates/runtime/doctor/upstream-check.js';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import { closedOrigin, petsApp, startUpstream } from './support/doctor-fixtures.js';

let upstream: Awaited<ReturnType<typeof startUpstream>>;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.stop());

describe('upstream reachability', () => {
  it('counts any HTTP answer as reachable and sends no credentials', async () => {
    const check = await checkUpstreamReachable(new URL(`${upstream.origin}/v1`), 1000);
    expect(check).toEqual({
      id: 'upstream-reachable',
      status: 'ok',
      message: `${upstream.origin}/v1 answered HTTP 404`,
    });
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'HEAD' });
    expect(upstream.seen.at(-1)?.headers['x-api-key']).toBeUndefined();
  });

  it('fails when nothing answers at the base URL', async () => {
    const origin = await closedOrigin();
    const check = await checkUpstreamReachable(new URL(origin), 1000);
    expect(check).toEqual({
      id: 'upstream-reachable',
      status: 'fail',
      message: `${origin}/: could not be reached (ECONNREFUSED): check UPSTREAM_BASE_URL and that this host can reach the API (DNS, firewall, proxy)`,
    });
  });

  it('fails without any base URL, and on one that is not a URL', () => {
    const app = { ...petsApp('x'), server: { name: 'pets', version: '1' } };
    expect(upstreamBaseUrl(app, {})).toMatchObject({
      id: 'upstream-url',
      status: 'fail',
      message: expect.stringMatching(/^UPSTREAM_BASE_URL is not set/),
    });
    expect(upstreamBaseUrl(app, { UPSTREAM_BASE_URL: 'api.example.com' })).toMatchObject({
      status: 'fail',
      message: 'UPSTREAM_BASE_URL "api.example.com" is not an absolute http(s) URL',
    });
    expect(upstreamBaseUrl(app, { UPSTREAM_BASE_URL: 'https://api.example.com/v2' })).toEqual(
      new URL('https://api.example.com/v2'),
    );
  });
});

describe('upstream credentials', () => {
  const app = petsApp('https://api.example.com');

  it('fails when a tool has no credentials for any of its alternatives, naming the variable', async () => {
    const checks = await checkUpstreamCredentials(app, {}, undefined);
    expect(checks).toEqual([
      { id: 'upstream-credentials:apiKey', status: 'warn', message: 'not set: set PETS_API_KEY' },
      {
        id: 'upstream-credentials',
        status: 'fail',
        message:
          '2 of 2 tool(s) have no upstream credentials (listPets, deletePet) and would call the API without them: set PETS_API_KEY',
      },
    ]);
  });

  it('passes when the key is set, without showing it', async () => {
    const checks = await checkUpstreamCredentials(app, { PETS_API_KEY: 'k-secret-value' }, undefined);
    expect(checks).toEqual([
      {
        id: 'upstream-credentials:apiKey',
        status: 'ok',
        message: 'set (apiKey in header "X-API-Key" from PETS_API_KEY)',
      },
      {
        id: 'upstream-credentials',
        status: 'ok',
        message: 'every tool has the upstream credentials one of its security alternatives needs',
      },
    ]);
  });

  it('is satisfied by either alternative, and counts client credentials as configured without fetching a token', async () => {
    const either: AppDefinition = {
      ...app,
      schemes: {
        ...app.schemes,
        oauth: { type: 'oauth2', scopes: [], tokenUrl: 'https://auth.example.com/token', env: 'PETS_OAUTH' },
      },
      tools: app.tools.map((tool) => ({
        ...tool,
        security: [[{ scheme: 'oauth', scopes: ['read'] }], ...tool.security],
      })),
    };
    const checks = await checkUpstreamCredentials(
      either,
      { PETS_OAUTH_CLIENT_ID: 'id', PETS_OAUTH_CLIENT_SECRET: 's' },
      undefined,
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['upstream-credentials:apiKey', 'warn'],
      ['upstream-credentials:oauth', 'ok'],
      ['upstream-credentials', 'ok'],
    ]);
    expect(checks[1]?.message).toBe('set (oauth2, client credentials with PETS_OAUTH_CLIENT_ID)');
  });

  it('fails on a value that would break a header, naming only the variable', async () => {
    const checks = await checkUpstreamCredentials(app, { PETS_API_KEY: 'abc\r\nX-Evil: 1' }, undefined);
    expect(checks).toEqual([
      {
        id: 'upstream-credentials:apiKey',
        status: 'fail',
        message: 'environment variable PETS_API_KEY must not contain CR, LF or NUL',
      },
      {
        id: 'upstream-credentials',
        status: 'fail',
        message:
          '2 of 2 tool(s) have no upstream credentials (listPets, deletePet) and would call the API without them: fix the variables named above',
      },
    ]);
  });
});
