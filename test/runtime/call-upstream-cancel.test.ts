import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import { startRecordingServer, tool, upstreamOptions, type RecordingServer } from './support/recording-server.js';

let upstream: RecordingServer;
beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

describe('callUpstream: cancellation by the MCP request', () => {
  const slow = tool({ path: '/slow' });

  it('aborts the upstream request when the caller cancels, and says so (not a timeout)', async () => {
    upstream.respond = () => undefined; // never answers
    const cancel = new AbortController();
    const pending = callUpstream(slow, {}, upstreamOptions(upstream.origin, { timeoutMs: 60_000 }), {
      signal: cancel.signal,
    });
    while (upstream.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    cancel.abort();
    expect(await pending).toEqual({
      content: [{ type: 'text', text: `Upstream request GET ${upstream.origin}/api/v1/slow failed: cancelled` }],
      isError: true,
    });
  });

  it('does not call the upstream for a request already cancelled', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const result = await callUpstream(slow, {}, upstreamOptions(upstream.origin, { timeoutMs: 60_000 }), {
      signal: cancel.signal,
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/cancelled/);
    expect(upstream.received).toHaveLength(0);
  });
});
