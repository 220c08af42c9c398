/** Runs at most `max` tasks at once; the rest wait in arrival order. */
export type CallLimiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Bounds the upstream fan-out of one MCP request: a 2025-03-26 batch of
 * many `tools/call` messages runs `max` upstream calls at a time
 * (MCP_MAX_CONCURRENT_CALLS), so one client request cannot open a hundred
 * upstream connections at once.
 */
export function createCallLimiter(max: number): CallLimiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
