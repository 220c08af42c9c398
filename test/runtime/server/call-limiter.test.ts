import { describe, expect, it } from 'vitest';
import { createCallLimiter } from '../../../templates/runtime/server/call-limiter.js';

describe('createCallLimiter', () => {
  it('runs at most max tasks at once, the rest in arrival order, and frees a slot when a task fails', async () => {
    const limit = createCallLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const task = (n: number, fail = false) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(n);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        if (fail) throw new Error(`task ${n}`);
        return n;
      });
    const results = [task(0, true), task(1), task(2), task(3)].map((p) => p.catch((e: Error) => e.message));
    // Release the tasks one by one as they start.
    for (let released = 0; released < 4; released++) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    expect(await Promise.all(results)).toEqual(['task 0', 1, 2, 3]);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3]);
  });
});
