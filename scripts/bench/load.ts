import autocannon from 'autocannon';

export interface LoadResult {
  /** Successful (2xx) responses per second over the run. */
  readonly rps: number;
  /** Successful (2xx) responses in all. */
  readonly calls: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Non-2xx answers, socket errors and timeouts: a load figure with failures is not a figure. */
  readonly failures: number;
}

/** One bounded autocannon run (fixed duration) of the same POST over `connections` keep-alive connections. */
export async function loadRun(
  url: string,
  headers: Record<string, string>,
  body: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({ url, method: 'POST', headers, body, connections, duration: seconds });
  return {
    rps: result['2xx'] / result.duration,
    calls: result['2xx'],
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
