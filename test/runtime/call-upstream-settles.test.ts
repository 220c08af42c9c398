import { describe, expect, it } from 'vitest';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import type { UpstreamClient } from '../../templates/runtime/http/upstream-client.js';
import { tool, upstreamOptions } from './support/recording-server.js';

// callUpstream chains each attempt's promise instead of running as an async function (one async
// frame less per call). It must settle as the async function did: every failure of the request is
// a tool error, a bug is a rejection, and nothing is ever thrown synchronously into the caller.

const json = (status: number, body: unknown): ReturnType<UpstreamClient> =>
  Promise.resolve({
    status,
    statusText: '',
    contentType: 'application/json',
    location: null,
    body: { bytes: new TextEncoder().encode(JSON.stringify(body)), truncated: false },
  });

describe('callUpstream settles like an async function', () => {
  it('answers a client that throws synchronously with a tool error naming the request, not a throw', async () => {
    const client: UpstreamClient = () => {
      throw Object.assign(new Error('boom'), { code: 'EBOOM' });
    };
    const pending = callUpstream(tool({ path: '/pets' }), {}, upstreamOptions('http://127.0.0.1:9', { client }));
    expect(pending).toBeInstanceOf(Promise);
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: 'text', text: 'Upstream request GET http://127.0.0.1:9/api/v1/pets failed: EBOOM' },
    ]);
  });

  it('answers a request it cannot build (a missing path parameter) with a tool error', async () => {
    const client: UpstreamClient = () => json(200, {});
    const result = await callUpstream(
      tool({
        path: '/pets/{id}',
        parameters: [{ name: 'id', in: 'path', argument: 'id', required: true, style: 'simple', explode: false }],
      }),
      {},
      upstreamOptions('http://127.0.0.1:9', { client }),
    );
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'Cannot call op: path parameter "id" is required' }],
    });
  });

  it('rejects (does not throw) on a bug while building the request', async () => {
    const client: UpstreamClient = () => json(200, {});
    const args = Object.defineProperty({}, 'id', {
      enumerable: true,
      get() {
        throw new TypeError('a bug');
      },
    });
    const pending = callUpstream(
      tool({
        path: '/pets/{id}',
        parameters: [{ name: 'id', in: 'path', argument: 'id', required: true, style: 'simple', explode: false }],
      }),
      args,
      upstreamOptions('http://127.0.0.1:9', { client }),
    );
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow('a bug');
  });

  it('answers the JSON body of a 200 as before', async () => {
    const client: UpstreamClient = () => json(200, { a: 1 });
    const result = await callUpstream(tool({ path: '/pets' }), {}, upstreamOptions('http://127.0.0.1:9', { client }));
    expect(result).toEqual({ content: [{ type: 'text', text: '{"a":1}' }] });
  });
});
