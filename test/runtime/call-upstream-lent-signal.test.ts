import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createHookedController,
  createLentController,
  lentController,
  onAbort,
} from '../../templates/runtime/http/abort-hooks.js';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import type { UpstreamClient, UpstreamRequest } from '../../templates/runtime/http/upstream-client.js';
import { tool, upstreamOptions } from './support/recording-server.js';

// The fast lane lends its cancellation controller to the one upstream call it makes: the call's
// deadline aborts that controller instead of making a second one per call. The timeout and the
// cancellation must behave exactly as with a controller of the call's own.

/** A client that never answers: it rejects when its signal aborts, and records what it was sent. */
function hangingClient(seen: UpstreamRequest[]): UpstreamClient {
  return (request) =>
    new Promise((_, reject) => {
      seen.push(request);
      onAbort(request.signal, () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('abort hooks: lent controllers', () => {
  it('names a lent controller by its signal, and only a lent one', () => {
    const lent = createLentController();
    expect(lentController(lent.signal)).toBe(lent);
    expect(lentController(createHookedController().signal)).toBeUndefined();
    expect(lentController(new AbortController().signal)).toBeUndefined();
    expect(lentController(undefined)).toBeUndefined();
  });
});

describe('callUpstream with a lent signal', () => {
  const slow = tool({ path: '/slow' });
  /** A call of a tool whose upstream never answers, under fake timers; `seen` holds what the client was sent. */
  const slowCall = (signal: AbortSignal, timeoutMs: number) => {
    vi.useFakeTimers();
    const seen: UpstreamRequest[] = [];
    const pending = callUpstream(
      slow,
      {},
      upstreamOptions('http://127.0.0.1:9', { timeoutMs, client: hangingClient(seen) }),
      { signal },
    );
    return { seen, pending };
  };

  it('sends with the lent signal itself and still times out, aborting it with a TimeoutError', async () => {
    const lent = createLentController();
    const { seen, pending } = slowCall(lent.signal, 1500);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(1);
    // One controller per call: the client got the lent signal, not one made for the deadline.
    expect(seen[0]!.signal).toBe(lent.signal);
    await vi.advanceTimersByTimeAsync(1499);
    expect(lent.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({
      content: [
        { type: 'text', text: 'Upstream request GET http://127.0.0.1:9/api/v1/slow failed: timed out after 1500 ms' },
      ],
      isError: true,
    });
    expect((lent.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('is cancelled when the lender aborts, and says so (not a timeout)', async () => {
    const lent = createLentController();
    const { pending } = slowCall(lent.signal, 60_000);
    await vi.advanceTimersByTimeAsync(0);
    lent.abort();
    expect(await pending).toEqual({
      content: [{ type: 'text', text: 'Upstream request GET http://127.0.0.1:9/api/v1/slow failed: cancelled' }],
      isError: true,
    });
    // The deadline's timer is gone with the call: nothing fires later.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves a signal that is not lent alone on a timeout (the call aborts a controller of its own)', async () => {
    const own = createHookedController();
    const { seen, pending } = slowCall(own.signal, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await pending).isError).toBe(true);
    expect(seen[0]!.signal).not.toBe(own.signal);
    expect(own.signal.aborted).toBe(false);
  });
});
