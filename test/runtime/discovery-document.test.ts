import { describe, expect, it } from 'vitest';
import { fetchDiscoveryDocument } from '../../templates/runtime/http/discovery-document.js';
import { FetchBoundedError } from '../../templates/runtime/http/fetch-bounded.js';

const URL_ = new URL('https://as.example.com/.well-known/openid-configuration');
const bounds = (answer: () => Response) => ({
  timeoutMs: 1000,
  maxBytes: 1024,
  fetch: (async () => answer()) as typeof fetch,
});

describe('fetchDiscoveryDocument', () => {
  it.each([
    ['a JSON object', () => new Response('{"issuer":"x"}'), { kind: 'document', document: { issuer: 'x' } }],
    ['another status', () => new Response('{}', { status: 404 }), { kind: 'status', status: 404 }],
    ['a redirect, not followed', () => new Response(null, { status: 302 }), { kind: 'status', status: 302 }],
    ['a JSON array', () => new Response('[]'), { kind: 'not-json' }],
    ['HTML', () => new Response('<html>'), { kind: 'not-json' }],
  ])('%s', async (_, answer, want) => {
    expect(await fetchDiscoveryDocument(URL_, bounds(answer))).toEqual(want);
  });

  it("uses the caller's fetch and lets its failure through", async () => {
    const refuse = async () => {
      throw new FetchBoundedError('refused');
    };
    await expect(
      fetchDiscoveryDocument(
        URL_,
        bounds(() => new Response('{}')),
        refuse,
      ),
    ).rejects.toThrow('refused');
  });
});
