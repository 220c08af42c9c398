import { UpstreamError } from './upstream-error.js';

/**
 * Parses the URL of a token endpoint or of an OpenID Connect discovery
 * document, where the server sends its client secret or learns where to.
 *
 * - A relative reference is resolved against `base` (the upstream base URL)
 *   per RFC 3986 §5.2: OpenAPI 3.1 §4.8.30 "tokenUrl ... MAY be relative",
 *   resolved against the Server Object's URL (§4.6.2).
 * - `https:` only, except loopback hosts (local development and tests):
 *   RFC 6749 §3.2 "The authorization server MUST require the use of TLS".
 * - No userinfo (it would be a second, unreviewed credential) and no
 *   fragment: RFC 6749 §3.2 "The endpoint URI MUST NOT include a fragment".
 *
 * Does not check that the host resolves or answers. `what` names the
 * setting (a variable name or "the tokenUrl of scheme x") in the message.
 * @throws {UpstreamError} `invalid_token_url`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export function parseTokenEndpointUrl(raw: string, base: string | undefined, what: string): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new UpstreamError(
      'invalid_token_url',
      `${what} is not a URL${base === undefined ? ' (and no base URL to resolve it against)' : ''}`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UpstreamError('invalid_token_url', `${what} must be an https URL (http only for loopback hosts)`);
  }
  if (url.username || url.password) throw new UpstreamError('invalid_token_url', `${what} must not carry credentials`);
  if (url.hash) throw new UpstreamError('invalid_token_url', `${what} must not have a fragment`);
  return url;
}

/** `localhost`, 127.0.0.0/8 and `[::1]`: traffic that never leaves the machine. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
