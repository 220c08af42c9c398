import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callUpstream, type UpstreamOptions } from '../../templates/runtime/http/call-upstream.js';
import { createUpstreamAuth } from '../../templates/runtime/http/upstream-auth.js';
import type { SecuritySchemeDefinition } from '../../templates/runtime/mcp/types.js';
import { startRecordingServer, tool, type RecordingServer } from './support/recording-server.js';
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

const ENV = {
  PETS_CLIENT_ID: CLIENT_ID,
  PETS_CLIENT_SECRET: CLIENT_SECRET,
  PETS_TOKEN_EXCHANGE: 'true',
  PETS_AUDIENCE: 'pets-api',
  PETS_RESOURCE: 'https://api.pets.example/',
};
/** The caller's inbound MCP access token: it must never reach the upstream API. */
const SUBJECT = 'eyJhbGciOiJFUzI1NiJ9.caller-token.sig';
const petsTool = tool(
  { method: 'POST', body: { argument: 'body', mediaType: 'application/json', encoding: 'json', required: false } },
  { security: [[{ scheme: 'pets', scopes: ['pets:read'] }]] },
);

function server(now?: () => number): UpstreamOptions {
  const schemes: Record<string, SecuritySchemeDefinition> = {
    pets: { type: 'oauth2', scopes: ['pets:read'], tokenUrl: `${tokens.origin}/token`, env: 'PETS' },
  };
  const baseUrl = `${upstream.origin}/api`;
  return { baseUrl, schemes, env: ENV, auth: createUpstreamAuth(schemes, ENV, { baseUrl, ...(now ? { now } : {}) }) };
}

describe('RFC 8693 token exchange for the upstream (opt-in)', () => {
  it('exchanges the caller token at the token endpoint; the upstream sees only the issued token', async () => {
    const result = await callUpstream(petsTool, { body: { note: 'hi' } }, server(), { subjectToken: SUBJECT });
    expect(result.isError).toBeUndefined();
    expect(tokens.calls).toEqual([
      {
        path: '/token',
        client: { id: CLIENT_ID, secret: CLIENT_SECRET },
        contentType: 'application/x-www-form-urlencoded',
        form: {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: SUBJECT,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          audience: 'pets-api',
          resource: 'https://api.pets.example/',
          scope: 'pets:read',
        },
      },
    ]);
    expect(upstream.received.map((r) => r.headers.authorization)).toEqual(['Bearer ex-1']);
    // No header, URL or body the upstream received carries the caller's token or any part of it.
    expect(JSON.stringify(upstream.received)).not.toContain('caller-token');
  });

  it('caches per caller token: one exchange per subject', async () => {
    const options = server();
    await callUpstream(petsTool, {}, options, { subjectToken: SUBJECT });
    await callUpstream(petsTool, {}, options, { subjectToken: SUBJECT });
    await callUpstream(petsTool, {}, options, { subjectToken: `${SUBJECT}2` });
    expect(tokens.calls.map((c) => c.form.subject_token)).toEqual([SUBJECT, `${SUBJECT}2`]);
    expect(upstream.received.map((r) => r.headers.authorization)).toEqual([
      'Bearer ex-1',
      'Bearer ex-1',
      'Bearer ex-2',
    ]);
  });

  it('does not use an exchanged token past the expiry of the caller token', async () => {
    let now = 2_000_000_000_000;
    const options = server(() => now);
    const context = { subjectToken: SUBJECT, subjectExpiresAt: now / 1000 + 10 };
    await callUpstream(petsTool, {}, options, context);
    now += 9_000;
    await callUpstream(petsTool, {}, options, context);
    now += 2_000;
    await callUpstream(petsTool, {}, options, context);
    expect(tokens.calls).toHaveLength(2);
  });

  it('fails closed without a caller token (stdio, API keys): no request goes anywhere', async () => {
    const result = await callUpstream(petsTool, {}, server());
    expect(result).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'Cannot call op: upstream scheme "pets" (PETS_TOKEN_EXCHANGE=true) exchanges the caller\'s OAuth access token for an upstream token, and this call has none (stdio or API-key authentication)',
        },
      ],
    });
    expect(tokens.calls).toEqual([]);
    expect(upstream.received).toEqual([]);
  });

  it('keeps the caller token out of an error message', async () => {
    tokens.answer = () => ({ status: 400, body: { error: `bad ${SUBJECT}` } });
    const result = await callUpstream(petsTool, {}, server(), { subjectToken: SUBJECT });
    expect(result.content).toEqual([
      { type: 'text', text: 'Cannot call op: upstream scheme "pets": the token endpoint answered HTTP 400' },
    ]);
  });

  it('refuses an issued token that is not an access token (RFC 8693 §2.2.1)', async () => {
    tokens.answer = () => ({
      status: 200,
      body: { access_token: 'x', token_type: 'Bearer', issued_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
    });
    const result = await callUpstream(petsTool, {}, server(), { subjectToken: SUBJECT });
    expect(result.content).toEqual([
      {
        type: 'text',
        text: 'Cannot call op: upstream scheme "pets": the token endpoint issued a token that is not an access token',
      },
    ]);
    expect(upstream.received).toEqual([]);
  });
});
