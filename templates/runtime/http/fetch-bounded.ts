import { readCappedBody } from './read-capped-body.js';

export interface FetchBounds {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** A caller's signal (e.g. jose's own timeout), combined with ours. */
  readonly signal?: AbortSignal | null;
  /** Replaces the global `fetch` (tests). */
  readonly fetch?: typeof fetch;
}

/** A response read in full, within the size cap. A redirect keeps its status and has no body. */
export interface BoundedResponse {
  readonly status: number;
  readonly body: Uint8Array;
}

/**
 * Why a request to an authorization server failed, in words safe to show a
 * caller ("did not answer within 100 ms"): no URL, header or body is ever
 * part of `reason`; callers add the name of what they asked for.
 */
export class FetchBoundedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FetchBoundedError';
  }
}

/**
 * One request the runtime makes outside a tool call, to an authorization
 * server (metadata, JWKS, introspection, token endpoint, discovery
 * document) or, from the doctor, to the API: one deadline covering connect and
 * body, a cap on the body (a hostile server cannot exhaust memory), and no
 * redirects: a 3xx is answered as its status, its body discarded, so a
 * credential never travels to a URL that was not configured (RFC 6749 §3.2
 * asks for the configured endpoint; RFC 9700 §4.11 on open redirection).
 * Tool calls go through http/upstream-client.ts, which streams instead.
 * @throws {FetchBoundedError}
 */
export async function fetchBounded(url: URL, init: RequestInit, bounds: FetchBounds): Promise<BoundedResponse> {
  const timeout = AbortSignal.timeout(bounds.timeoutMs);
  const signal = bounds.signal ? AbortSignal.any([timeout, bounds.signal]) : timeout;
  const late = () => new FetchBoundedError(`did not answer within ${bounds.timeoutMs} ms`);
  let response: Response;
  try {
    response = await (bounds.fetch ?? fetch)(url, { ...init, redirect: 'manual', signal });
  } catch (error) {
    throw timeout.aborted ? late() : new FetchBoundedError(`could not be reached (${describe(error)})`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status, body: new Uint8Array(0) };
  }
  let capped;
  try {
    capped = await readCappedBody(response, bounds.maxBytes);
  } catch {
    throw timeout.aborted ? late() : new FetchBoundedError('broke off its response');
  }
  if (capped.truncated) throw new FetchBoundedError(`sent a response larger than ${bounds.maxBytes} bytes`);
  return { status: response.status, body: capped.bytes };
}

/** A JSON body as a value; `undefined` when it is not UTF-8 JSON. */
function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
}

/** A JSON body that is an object; `undefined` when it is not one. */
export function jsonObject(body: Uint8Array): Record<string, unknown> | undefined {
  const value = parseJson(body);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * `fetchBounded` for the upstream OAuth client, which must not be
 * redirected at all (the token endpoint receives the client secret, a
 * discovered endpoint will): a 3xx is a failure.
 * @throws {FetchBoundedError}
 */
export async function fetchRefusingRedirects(
  url: URL,
  init: RequestInit,
  bounds: FetchBounds,
): Promise<BoundedResponse> {
  const response = await fetchBounded(url, init, bounds);
  if (response.status >= 300 && response.status < 400)
    throw new FetchBoundedError(`answered with a redirect (HTTP ${response.status}), which is not followed`);
  return response;
}

/** `fetchRefusingRedirects`, the body parsed as JSON (`undefined` when it is not). */
export async function fetchJson(
  url: URL,
  init: RequestInit,
  bounds: FetchBounds,
): Promise<{ readonly status: number; readonly json: unknown }> {
  const response = await fetchRefusingRedirects(url, init, bounds);
  return { status: response.status, json: parseJson(response.body) };
}

/** The system error code (`ECONNREFUSED`...) of a failed fetch; never undici's message, which may hold the URL. */
function describe(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code) ? cause.code : 'network error';
}
