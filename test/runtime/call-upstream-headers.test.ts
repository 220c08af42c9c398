import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ParameterBinding } from '../../templates/runtime/mcp/types.js';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import { startRecordingServer, tool, upstreamOptions, type RecordingServer } from './support/recording-server.js';

// The upstream request's headers are a plain record (no undici `Headers` per call): it must keep
// `Headers`' case-insensitive semantics and never let a header name touch an object prototype.

let upstream: RecordingServer;
beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

const header = (name: string): ParameterBinding => ({
  name,
  argument: name,
  in: 'header',
  style: 'simple',
  explode: false,
  required: false,
});

describe('callUpstream: request headers', () => {
  it('combines header parameters whose names differ only in case, as Headers would (RFC 9110 §5.3)', async () => {
    const result = await callUpstream(
      tool({ parameters: [header('X-Trace'), header('x-trace')] }),
      { 'X-Trace': 'a', 'x-trace': 'b' },
      upstreamOptions(upstream.origin),
    );
    expect(result.isError).toBeFalsy();
    expect(upstream.received[0]?.headers['x-trace']).toBe('a, b');
  });

  it('sends a header parameter named __proto__ as a header', async () => {
    let raw: string[] = [];
    upstream.respond = (req, res) => {
      raw = req.rawHeaders;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    };
    const result = await callUpstream(
      tool({ parameters: [header('__proto__')] }),
      { ['__proto__']: 'v' },
      upstreamOptions(upstream.origin),
    );
    expect(result.isError).toBeFalsy();
    // node:http's parsed headers cannot hold that name; the raw list shows what was sent.
    expect(raw[raw.indexOf('__proto__') + 1]).toBe('v');
  });

  it('lets the server set Accept, User-Agent and its credential whatever the case the spec used', async () => {
    await callUpstream(
      tool({ parameters: [] }, { security: [[{ scheme: 'bearer', scopes: [] }]] }),
      {},
      upstreamOptions(upstream.origin, { env: { TOKEN: 'server-token' } }),
    );
    const seen = upstream.received[0]?.headers;
    expect(seen?.['accept']).toBe('application/json');
    expect(seen?.['user-agent']).toBe('pets-mcp/1.0');
    expect(seen?.['authorization']).toBe('Bearer server-token');
  });
});
