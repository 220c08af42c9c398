import { readCappedBody } from '../http/read-capped-body.js';
import { AuthUnavailableError } from './principal.js';

export interface BoundedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export interface FetchBounds {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** A caller's signal (e.g. jose's own timeout), combined with ours. */
  readonly signal?: AbortSignal | null;
}

/**
 * One request to the authorization server (metadata, JWKS, introspection),
 * with a deadline, a response size cap and no redirects (a redirect is
 * answered as its 3xx status). Transport failures become
 * `AuthUnavailableError` naming `what` and the URL, never a credential.
 */
export async function fetchBounded(
  what: string,
  url: URL,
  init: RequestInit,
  bounds: FetchBounds,
): Promise<BoundedResponse> {
  const timeout = AbortSignal.timeout(bounds.timeoutMs);
  const signal = bounds.signal ? AbortSignal.any([timeout, bounds.signal]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal });
  } catch (error) {
    const reason = timeout.aborted ? `no answer within ${bounds.timeoutMs} ms` : 'unreachable';
    throw new AuthUnavailableError(`${what} at ${url.href}: ${reason} (${(error as Error).name})`);
  }
  let capped;
  try {
    capped = await readCappedBody(response, bounds.maxBytes);
  } catch {
    throw new AuthUnavailableError(`${what} at ${url.href}: the response broke off`);
  }
  if (capped.truncated)
    throw new AuthUnavailableError(`${what} at ${url.href}: response larger than ${bounds.maxBytes} bytes`);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: capped.bytes };
}

/** Parses a JSON object body; `undefined` when it is not one. */
export function jsonObject(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
