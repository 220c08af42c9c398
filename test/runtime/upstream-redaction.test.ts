import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import { clientSecretBasic } from '../../templates/runtime/http/client-secret-basic.js';
import {
  createSecretRedactor,
  MAX_RECENT_TOKENS,
  redactingLog,
  redactToolResult,
} from '../../templates/runtime/http/secret-redactor.js';
import { createUpstreamAuth } from '../../templates/runtime/http/upstream-auth.js';
import { upstreamRedactor } from '../../templates/runtime/http/upstream-redactor.js';
import type { SecuritySchemeDefinition, ToolDefinition } from '../../templates/runtime/mcp/types.js';
import {
  reply,
  startRecordingServer,
  tool,
  upstreamOptions,
  type RecordingServer,
} from './support/recording-server.js';
import { CLIENT_ID, CLIENT_SECRET, startTokenServer, type TokenServer } from './support/token-server.js';

// Issue 9 item 3: an upstream that echoes its request must not hand the server's secrets to the MCP client.

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

/** Answers with the request line and headers, as many APIs do in their errors. */
const echo =
  (status: number, contentType = 'application/json') =>
  (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': contentType }).end(JSON.stringify({ url: req.url, headers: req.headers }));
  };

/** A key with characters that percent-encoding changes, so the echo differs from the raw value. */
const QKEY = 'qk/+= é&secret';
const schemes: Record<string, SecuritySchemeDefinition> = {
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key', env: 'QKEY' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid', env: 'SID' },
  basic: { type: 'http', scheme: 'basic', env: 'BASIC' },
  pets: { type: 'oauth2', scopes: [], tokenUrl: 'http://127.0.0.1:1/token', env: 'PETS' },
};
const needs = (scheme: string, extra: Partial<ToolDefinition> = {}): ToolDefinition =>
  tool({}, { security: [[{ scheme, scopes: [] }]], ...extra });
const serialized = (value: unknown) => JSON.stringify(value);

describe('callUpstream: results never carry the server secrets an upstream echoes', () => {
  it.each([
    ['a 2xx JSON echo, with structuredContent', 200, { outputSchema: { type: 'object' } }],
    ['a 4xx error echo', 400, {}],
  ])('redacts the query API key from %s, raw and as sent', async (_, status, extra) => {
    upstream.respond = echo(status);
    const env = { QKEY, SID: 'cookie-secret' };
    const result = await callUpstream(needs('queryKey', extra), {}, upstreamOptions(upstream.origin, { schemes, env }));
    const out = serialized(result);
    expect(upstream.received[0]?.url).toBe('/api/v1/pets?api_key=qk%2F%2B%3D%20%C3%A9%26secret');
    expect(out).not.toContain('secret');
    expect(out).toContain('[redacted]');
  });

  it('redacts the Basic credentials (their Base64 and the password)', async () => {
    upstream.respond = echo(500);
    const env = { BASIC_USERNAME: 'svc', BASIC_PASSWORD: 'hunter2-pass' };
    const result = await callUpstream(needs('basic'), {}, upstreamOptions(upstream.origin, { schemes, env }));
    expect(upstream.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('svc:hunter2-pass').toString('base64')}`,
    );
    expect(serialized(result)).not.toContain(Buffer.from('svc:hunter2-pass').toString('base64'));
    expect(result.isError).toBe(true);
  });

  it('redacts a token obtained from the token endpoint', async () => {
    upstream.respond = echo(200, 'text/plain');
    const oauth = { pets: { ...schemes['pets']!, tokenUrl: `${tokens.origin}/token` } as SecuritySchemeDefinition };
    const env = { PETS_CLIENT_ID: CLIENT_ID, PETS_CLIENT_SECRET: CLIENT_SECRET };
    const baseUrl = `${upstream.origin}/api/v1`;
    const auth = createUpstreamAuth(oauth, env, { baseUrl });
    const result = await callUpstream(needs('pets'), {}, { baseUrl, schemes: oauth, env, auth });
    expect(upstream.received[0]?.headers.authorization).toBe('Bearer cc-1');
    expect(serialized(result)).not.toContain('cc-1');
  });

  it('withholds a binary body that carries a secret', async () => {
    upstream.respond = reply(
      200,
      'image/png',
      Buffer.concat([Buffer.from([0x89, 0x50]), Buffer.from('leak:cookie-secret')]),
    );
    const result = await callUpstream(
      needs('cookieKey'),
      {},
      upstreamOptions(upstream.origin, { schemes, env: { SID: 'cookie-secret' } }),
    );
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'The upstream response contains a credential of this server; it was withheld.' }],
    });
  });
});

describe('token endpoint errors never echo the client secret', () => {
  const basic = clientSecretBasic(CLIENT_ID, CLIENT_SECRET);
  it.each([
    ['the Basic header', basic],
    ['its Base64 alone', basic.slice('Basic '.length)],
  ])('drops an `error` that carries %s', async (_, echoed) => {
    tokens.answer = () => ({ status: 400, body: { error: echoed, error_description: basic } });
    const oauth = { pets: { ...schemes['pets']!, tokenUrl: `${tokens.origin}/token` } as SecuritySchemeDefinition };
    const env = { PETS_CLIENT_ID: CLIENT_ID, PETS_CLIENT_SECRET: CLIENT_SECRET };
    const lines: string[] = [];
    const result = await callUpstream(
      needs('pets'),
      {},
      { baseUrl: upstream.origin, schemes: oauth, env, log: (l) => lines.push(l) },
    );
    expect(result.isError).toBe(true);
    expect(serialized(result)).toContain('answered HTTP 400');
    expect(serialized([result, lines])).not.toContain(basic.slice('Basic '.length));
    expect(upstream.received).toHaveLength(0);
  });
});

describe('upstreamRedactor', () => {
  it('is one redactor per env, the one createUpstreamAuth adds its tokens to', () => {
    const env = { QKEY };
    const auth = createUpstreamAuth(schemes, env);
    expect(auth.redactor).toBe(upstreamRedactor(schemes, env));
    expect(upstreamRedactor(schemes, { QKEY })).not.toBe(auth.redactor);
    expect(auth.redactor.redact(QKEY)).toBe('[redacted]');
  });
});

describe('createSecretRedactor', () => {
  it('redacts every encoding the runtime sends a secret in', () => {
    const secret = 'a b/c+d"é';
    const r = createSecretRedactor([secret]);
    const forms = [
      secret,
      'a%20b%2Fc%2Bd%22%C3%A9',
      'a%20b%2fc%2bd%22%c3%a9',
      encodeURIComponent(secret),
      'a+b%2Fc%2Bd%22%C3%A9',
      JSON.stringify(secret).slice(1, -1),
    ];
    expect(forms.map((f) => r.redact(`x${f}x`))).toEqual(forms.map(() => 'x[redacted]x'));
  });

  it('leaves secrets shorter than 4 characters alone, so text stays readable', () => {
    expect(createSecretRedactor(['ab', '']).redact('about')).toBe('about');
  });

  it('replaces a secret that contains another one whole', () => {
    expect(createSecretRedactor(['abcd', 'abcdefgh']).redact('-abcdefgh-')).toBe('-[redacted]-');
  });

  it(`keeps only the last ${MAX_RECENT_TOKENS} obtained tokens, and a call's own secrets through extra`, () => {
    const r = createSecretRedactor(['permanent']);
    for (let i = 0; i <= MAX_RECENT_TOKENS; i++) r.addToken(`token-${i}`);
    expect(r.redact('token-0 token-1 permanent')).toBe('token-0 [redacted] [redacted]');
    expect(r.redact('token-0', ['token-0'])).toBe('[redacted]');
  });

  it('redacts structuredContent keys and values and text resources', () => {
    const r = createSecretRedactor(['sekrit']);
    const result = redactToolResult(
      {
        content: [
          { type: 'text', text: 'sekrit' },
          { type: 'resource', resource: { uri: 'https://x/y', text: 'a sekrit' } },
        ],
        structuredContent: { sekrit: ['sekrit', 1, { k: 'sekrit' }] },
      },
      r,
    );
    expect(result).toEqual({
      content: [
        { type: 'text', text: '[redacted]' },
        { type: 'resource', resource: { uri: 'https://x/y', text: 'a [redacted]' } },
      ],
      structuredContent: { '[redacted]': ['[redacted]', 1, { k: '[redacted]' }] },
    });
  });

  it('redacts log lines through redactingLog', () => {
    const lines: string[] = [];
    redactingLog((l) => lines.push(l), createSecretRedactor(['sekrit']))('{"error":"sekrit"}');
    expect(lines).toEqual(['{"error":"[redacted]"}']);
  });
});
