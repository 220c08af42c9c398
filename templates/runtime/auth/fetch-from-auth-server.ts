import { fetchBounded, FetchBoundedError, type BoundedResponse, type FetchBounds } from '../http/fetch-bounded.js';
import { AuthUnavailableError } from './principal.js';

/**
 * `fetchBounded` (http/fetch-bounded.ts) for token validation: a transport
 * failure becomes the `AuthUnavailableError` that answers 503 (fail closed),
 * naming `what` and the URL, never a credential.
 * @throws {AuthUnavailableError}
 */
export async function fetchFromAuthServer(
  what: string,
  url: URL,
  init: RequestInit,
  bounds: FetchBounds,
): Promise<BoundedResponse> {
  try {
    return await fetchBounded(url, init, bounds);
  } catch (error) {
    if (error instanceof FetchBoundedError) throw new AuthUnavailableError(`${what} at ${url.href}: ${error.reason}`);
    throw error;
  }
}
