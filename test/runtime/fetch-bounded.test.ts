import { describe, expect, it } from 'vitest';
import { fetchBounded, FetchBoundedError, fetchJson, jsonObject } from '../../templates/runtime/http/fetch-bounded.js';

const URL_ = new URL('https://as.example.com/token');

/** A `fetch` that answers `response` and records the init it was given. */
function answering(response: () => Response) {
  const seen: RequestInit[] = [];
  const fake = (async (_url: URL, init: RequestInit) => {
    seen.push(init);
    return response();
  }) as typeof fetch;
  return { fake, seen };
}

describe('fetchBounded', () => {
  it('never follows a redirect: the 3xx is the answer, without its body', async () => {
    const { fake, seen } = answering(
      () => new Response('moved', { status: 302, headers: { location: 'https://evil.example.com/' } }),
    );
    const response = await fetchBounded(URL_, {}, { timeoutMs: 1000, maxBytes: 1024, fetch: fake });
    expect(response).toEqual({ status: 302, body: new Uint8Array(0) });
    expect(seen[0]?.redirect).toBe('manual');
  });

  it('refuses a body past the cap', async () => {
    const { fake } = answering(() => new Response('x'.repeat(2048)));
    await expect(fetchBounded(URL_, {}, { timeoutMs: 1000, maxBytes: 1024, fetch: fake })).rejects.toThrow(
      new FetchBoundedError('sent a response larger than 1024 bytes'),
    );
  });

  it('names the system error code of a failed connection, not the message (which may hold the URL)', async () => {
    const fake = (async () => {
      throw new TypeError(`fetch failed for ${URL_.href}`, { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const failure = await fetchBounded(URL_, {}, { timeoutMs: 1000, maxBytes: 1024, fetch: fake }).catch((e) => e);
    expect(failure).toBeInstanceOf(FetchBoundedError);
    expect(failure.reason).toBe('could not be reached (ECONNREFUSED)');
  });

  it("gives the caller's signal to fetch, combined with its own deadline", async () => {
    const caller = new AbortController();
    const { fake, seen } = answering(() => new Response('{}'));
    await fetchBounded(URL_, {}, { timeoutMs: 1000, maxBytes: 1024, fetch: fake, signal: caller.signal });
    caller.abort();
    expect(seen[0]?.signal?.aborted).toBe(true);
  });
});

describe('fetchJson', () => {
  it('treats a redirect as a failure', async () => {
    const { fake } = answering(() => new Response(null, { status: 307, headers: { location: '/elsewhere' } }));
    await expect(fetchJson(URL_, {}, { timeoutMs: 1000, maxBytes: 1024, fetch: fake })).rejects.toThrow(
      'answered with a redirect (HTTP 307), which is not followed',
    );
  });

  it('parses a JSON body, and gives undefined for one that is not JSON', async () => {
    const ok = answering(() => new Response('[1]'));
    expect(await fetchJson(URL_, {}, { timeoutMs: 1000, maxBytes: 1024, fetch: ok.fake })).toEqual({
      status: 200,
      json: [1],
    });
    const html = answering(() => new Response('<html>', { status: 500 }));
    expect(await fetchJson(URL_, {}, { timeoutMs: 1000, maxBytes: 1024, fetch: html.fake })).toEqual({
      status: 500,
      json: undefined,
    });
  });
});

describe('jsonObject', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['[1]', undefined],
    ['null', undefined],
    ['nope', undefined],
  ])('%s -> %j', (text, want) => {
    expect(jsonObject(new TextEncoder().encode(text))).toEqual(want);
  });
});
