import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callUpstream, type UpstreamOptions } from '../../templates/runtime/http/call-upstream.js';
import { createUpstreamAuth } from '../../templates/runtime/http/upstream-auth.js';
import type { SecuritySchemeDefinition, ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { replyJson, startRecordingServer, tool, type RecordingServer } from './support/recording-server.js';
import { CLIENT_ID, CLIENT_SECRET, startTokenServer, type TokenServer } from './support/token-server.js';

let upstream: RecordingServer;
let tokens: TokenServer;
beforeAll(async () => {
  [upstream, tokens] = await Promise.all([startRecordingServer(), startTokenServer()]);
});
afterAll(() => Promise.all([upstream.close(), tokens.close()]));
beforeEach(() => {
  upstream.reset();
  tokens.reset();
});

const CLIENT = { PETS_CLIENT_ID: CLIENT_ID, PETS_CLIENT_SECRET: CLIENT_SECRET };
const schemesAt = (tokenUrl: string): Record<string, SecuritySchemeDefinition> => ({
  pets: { type: 'oauth2', scopes: ['pets:read', 'pets:write'], tokenUrl, env: 'PETS' },
  oidc: { type: 'openIdConnect', openIdConnectUrl: `${tokens.origin}/.well-known/openid-configuration`, env: 'OIDC' },
});
const needs = (scheme: string, ...scopes: string[]): ToolDefinition => tool({}, { security: [[{ scheme, scopes }]] });

/** Options with one UpstreamAuth (one token cache), as a server creates them once. */
function server(
  env: Record<string, string>,
  extra: { now?: () => number; tokenUrl?: string; timeoutMs?: number } = {},
): UpstreamOptions {
  const schemes = schemesAt(extra.tokenUrl ?? `${tokens.origin}/token`);
  const baseUrl = `${upstream.origin}/api/v1`;
  const { tokenUrl: _, ...authOptions } = extra;
  return { baseUrl, schemes, env, auth: createUpstreamAuth(schemes, env, { baseUrl, ...authOptions }) };
}

const bearerSeen = () => upstream.received.map((r) => r.headers.authorization);
const text = (result: { content: { type: string; text?: string }[] }) =>
  result.content.map((c) => c.text ?? '').join('\n');

describe('OAuth 2.0 client credentials for the upstream (RFC 6749 §4.4)', () => {
  it('gets a token with client_secret_basic and sends it, and only it, upstream', async () => {
    const options = server({
      ...CLIENT,
      PETS_AUDIENCE: 'https://api.pets.example',
      PETS_RESOURCE: 'https://api.pets.example/v1',
    });
    const result = await callUpstream(needs('pets', 'pets:write', 'pets:read'), {}, options);
    expect(result.isError).toBeUndefined();
    expect(tokens.calls).toEqual([
      {
        path: '/token',
        client: { id: CLIENT_ID, secret: CLIENT_SECRET },
        contentType: 'application/x-www-form-urlencoded',
        form: {
          grant_type: 'client_credentials',
          scope: 'pets:read pets:write',
          audience: 'https://api.pets.example',
          resource: 'https://api.pets.example/v1',
        },
      },
    ]);
    expect(bearerSeen()).toEqual(['Bearer cc-1']);
  });

  it('asks for <env>_SCOPES instead of the requirement scopes, and for none when neither names any', async () => {
    await callUpstream(needs('pets', 'pets:read'), {}, server({ ...CLIENT, PETS_SCOPES: 'admin, audit' }));
    await callUpstream(needs('pets'), {}, server(CLIENT));
    expect(tokens.calls.map((c) => c.form.scope)).toEqual(['admin audit', undefined]);
  });

  it('caches the token: N calls cost one token request', async () => {
    const options = server(CLIENT);
    for (let i = 0; i < 4; i++) await callUpstream(needs('pets', 'pets:read'), {}, options);
    expect(tokens.calls).toHaveLength(1);
    expect(bearerSeen()).toEqual(Array(4).fill('Bearer cc-1'));
  });

  it('caches per scope set, in any order', async () => {
    const options = server(CLIENT);
    await callUpstream(needs('pets', 'pets:read', 'pets:write'), {}, options);
    await callUpstream(needs('pets', 'pets:write', 'pets:read'), {}, options);
    await callUpstream(needs('pets', 'pets:read'), {}, options);
    expect(tokens.calls.map((c) => c.form.scope)).toEqual(['pets:read pets:write', 'pets:read']);
    expect(bearerSeen()).toEqual(['Bearer cc-1', 'Bearer cc-1', 'Bearer cc-2']);
  });

  it('refreshes 10 % (at most 30 s) before expires_in', async () => {
    let now = 1_000_000;
    tokens.expiresIn = 60;
    const options = server(CLIENT, { now: () => now });
    await callUpstream(needs('pets'), {}, options);
    now += 53_000; // 60 s minus a 6 s margin: still fresh
    await callUpstream(needs('pets'), {}, options);
    now += 2_000;
    await callUpstream(needs('pets'), {}, options);
    expect(bearerSeen()).toEqual(['Bearer cc-1', 'Bearer cc-1', 'Bearer cc-2']);
  });

  it('keeps a token without expires_in for 5 minutes less a 30 s margin', async () => {
    let now = 1_000_000;
    tokens.expiresIn = undefined;
    const options = server(CLIENT, { now: () => now });
    await callUpstream(needs('pets'), {}, options);
    now += 269_000;
    await callUpstream(needs('pets'), {}, options);
    now += 2_000;
    await callUpstream(needs('pets'), {}, options);
    expect(bearerSeen()).toEqual(['Bearer cc-1', 'Bearer cc-1', 'Bearer cc-2']);
  });

  it('makes one token request for concurrent calls (single flight)', async () => {
    tokens.delayMs = 100;
    const options = server(CLIENT);
    const results = await Promise.all(Array.from({ length: 6 }, () => callUpstream(needs('pets'), {}, options)));
    expect(results.every((r) => r.isError === undefined)).toBe(true);
    expect(tokens.calls).toHaveLength(1);
    expect(bearerSeen()).toEqual(Array(6).fill('Bearer cc-1'));
  });

  it('drops a token the upstream answers 401 to and retries once with a fresh one', async () => {
    upstream.respond = (req, res) => {
      const status = req.headers.authorization === 'Bearer cc-1' ? 401 : 200;
      replyJson({ status }, status)(req, res);
    };
    const options = server(CLIENT);
    const result = await callUpstream(needs('pets'), {}, options);
    expect(result.isError).toBeUndefined();
    expect(bearerSeen()).toEqual(['Bearer cc-1', 'Bearer cc-2']);
    await callUpstream(needs('pets'), {}, options);
    expect(tokens.calls).toHaveLength(2);
  });

  it('retries a 401 only once', async () => {
    upstream.respond = replyJson({ error: 'nope' }, 401);
    const result = await callUpstream(needs('pets'), {}, server(CLIENT));
    expect(result.isError).toBe(true);
    expect(bearerSeen()).toEqual(['Bearer cc-1', 'Bearer cc-2']);
  });

  it('reports a token endpoint that is down as a tool error naming the scheme, without secrets, and sends nothing upstream', async () => {
    const down = await startTokenServer();
    const url = `${down.origin}/token`;
    await down.close();
    const result = await callUpstream(needs('pets'), {}, server(CLIENT, { tokenUrl: url }));
    expect(result).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'Cannot call op: upstream scheme "pets": the token endpoint could not be reached (ECONNREFUSED)',
        },
      ],
    });
    expect(upstream.received).toEqual([]);
  });

  it('surfaces an OAuth error response by its code only, to the caller and in the operator log', async () => {
    const logs: string[] = [];
    const result = await callUpstream(
      needs('pets'),
      {},
      { ...server({ ...CLIENT, PETS_CLIENT_SECRET: 'wrong secret' }), log: (l) => logs.push(l) },
    );
    expect(text(result)).toBe(
      'Cannot call op: upstream scheme "pets": the token endpoint refused the request: invalid_client (HTTP 401)',
    );
    expect(text(result)).not.toContain(CLIENT_SECRET);
    expect(upstream.received).toEqual([]);
    expect(logs.map((l) => JSON.parse(l))).toEqual([
      {
        level: 'warn',
        msg: 'upstream credentials',
        tool: 'op',
        code: 'token_request_failed',
        error: 'upstream scheme "pets": the token endpoint refused the request: invalid_client (HTTP 401)',
      },
    ]);
    expect(logs.join('\n')).not.toContain('wrong secret');
  });

  it.each([
    [
      'a token that is not Bearer',
      { access_token: 'abc', token_type: 'mac' },
      'issued a token that is not a Bearer token',
    ],
    [
      'a token with a line break',
      { access_token: 'abc\r\nX-Evil: 1', token_type: 'Bearer' },
      'answered without a usable access_token',
    ],
    ['no access_token', { token_type: 'Bearer' }, 'answered without a usable access_token'],
    ['a JSON array', [], 'did not answer with a JSON object'],
  ])('refuses %s', async (_, body, reason) => {
    tokens.answer = () => ({ status: 200, body });
    const result = await callUpstream(needs('pets'), {}, server(CLIENT));
    expect(text(result)).toBe(`Cannot call op: upstream scheme "pets": the token endpoint ${reason}`);
    expect(upstream.received).toEqual([]);
  });

  it('gives up on a token endpoint that does not answer in time', async () => {
    tokens.delayMs = 500;
    const result = await callUpstream(needs('pets'), {}, server(CLIENT, { timeoutMs: 100 }));
    expect(text(result)).toBe(
      'Cannot call op: upstream scheme "pets": the token endpoint did not answer within 100 ms',
    );
    expect(upstream.received).toEqual([]);
  });

  it('stops reading a token response past 64 KiB', async () => {
    tokens.answer = () => ({ status: 200, body: { access_token: 'a'.repeat(70_000), token_type: 'Bearer' } });
    const result = await callUpstream(needs('pets'), {}, server(CLIENT));
    expect(text(result)).toBe(
      'Cannot call op: upstream scheme "pets": the token endpoint sent a response larger than 65536 bytes',
    );
  });

  it('does not cache a failure: the next call asks again', async () => {
    tokens.answer = () => ({ status: 503, body: {} });
    const options = server(CLIENT);
    expect(text(await callUpstream(needs('pets'), {}, options))).toContain('answered HTTP 503');
    delete tokens.answer;
    expect((await callUpstream(needs('pets'), {}, options)).isError).toBeUndefined();
    expect(bearerSeen()).toEqual(['Bearer cc-1']);
  });

  it('resolves a relative tokenUrl against the upstream base URL (OpenAPI 3.1 §4.8.30)', async () => {
    const schemes = schemesAt('/token');
    const baseUrl = `${tokens.origin}/api/v1`;
    const auth = createUpstreamAuth(schemes, CLIENT, { baseUrl });
    await auth.token('pets', []);
    expect(tokens.calls.map((c) => c.path)).toEqual(['/token']);
  });

  it('prefers <env>_TOKEN_URL over the tokenUrl of the document', async () => {
    const options = server(
      { ...CLIENT, PETS_TOKEN_URL: `${tokens.origin}/token?tenant=a` },
      { tokenUrl: 'https://unreachable.invalid/token' },
    );
    await callUpstream(needs('pets'), {}, options);
    expect(tokens.calls.map((c) => c.path)).toEqual(['/token?tenant=a']);
  });

  it('prefers a static <env>_ACCESS_TOKEN over client credentials', async () => {
    await callUpstream(needs('pets'), {}, server({ ...CLIENT, PETS_ACCESS_TOKEN: 'static' }));
    expect(tokens.calls).toEqual([]);
    expect(bearerSeen()).toEqual(['Bearer static']);
  });
});

describe('OpenID Connect schemes', () => {
  it('discover token_endpoint once and use client credentials there', async () => {
    const options = server({ OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET });
    for (const scopes of [['a'], ['b'], ['a']]) await callUpstream(needs('oidc', ...scopes), {}, options);
    expect(tokens.discoveries).toBe(1);
    expect(tokens.calls.map((c) => [c.path, c.form.scope])).toEqual([
      ['/token', 'a'],
      ['/token', 'b'],
    ]);
    expect(bearerSeen()).toEqual(['Bearer cc-1', 'Bearer cc-2', 'Bearer cc-1']);
  });

  it('refuse a discovery document whose issuer does not match its URL (OpenID Discovery §4.3)', async () => {
    tokens.issuer = 'https://someone-else.example';
    const result = await callUpstream(
      needs('oidc'),
      {},
      server({ OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET }),
    );
    expect(text(result)).toBe(
      'Cannot call op: upstream scheme "oidc": OpenID Connect discovery returned an issuer that does not match its URL',
    );
    expect(tokens.calls).toEqual([]);
  });
});
