import { readCappedBody } from './read-capped-body.js';

export interface FetchJsonOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** A response read in full (within the limit); `json` is `undefined` when the body is not JSON. */
export interface JsonResponse {
  readonly status: number;
  readonly json: unknown;
}

/**
 * Why a request to an authorization server failed, in words safe to show a
 * caller: no URL, header or body is ever part of `reason`.
 */
export class FetchJsonError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FetchJsonError';
  }
}

/**
 * One request to an authorization server (token endpoint, discovery
 * document): a timeout covering connect and body, a cap on the body (a
 * hostile server cannot exhaust memory), and no redirects, so a client
 * secret never travels to a URL that was not configured (RFC 6749 §3.2 asks
 * for the configured endpoint; RFC 9700 §4.11 on open redirection).
 * @throws {FetchJsonError}
 */
export async function fetchJson(url: URL, init: RequestInit, options: FetchJsonOptions): Promise<JsonResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await (options.fetch ?? fetch)(url, { ...init, signal, redirect: 'manual' });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchJsonError(`answered with a redirect (HTTP ${response.status}), which is not followed`);
    }
    const body = await readCappedBody(response, options.maxBytes);
    if (body.truncated) throw new FetchJsonError(`sent a response larger than ${options.maxBytes} bytes`);
    return { status: response.status, json: parse(body.bytes) };
  } catch (error) {
    if (error instanceof FetchJsonError) throw error;
    if (signal.aborted) throw new FetchJsonError(`did not answer within ${options.timeoutMs} ms`);
    throw new FetchJsonError(`could not be reached (${describe(error)})`);
  }
}

function parse(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

/** The system error code (`ECONNREFUSED`...) of a failed fetch; never undici's message, which may hold the URL. */
function describe(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code) ? cause.code : 'network error';
}
