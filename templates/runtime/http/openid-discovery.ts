import { fetchDiscoveryDocument, OPENID_CONFIGURATION } from './discovery-document.js';
import { FetchBoundedError, fetchRefusingRedirects, type FetchBounds } from './fetch-bounded.js';
import { parseTokenEndpointUrl } from './token-endpoint-url.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Reads `token_endpoint` from an OpenID Provider configuration document
 * (OpenID Connect Discovery 1.0 §4). When the URL has the standard
 * `/.well-known/openid-configuration` suffix, the document's `issuer` must be
 * the URL without it: §4.3 "the issuer value returned MUST be identical to
 * the Issuer URL that was used as the prefix" (a mismatch suggests a
 * document served for someone else). The token endpoint itself must be
 * https (loopback excepted), like a configured one.
 *
 * Does not validate any other metadata; does not cache (the caller does).
 * @throws {UpstreamError} `token_request_failed`, `invalid_token_url`.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export async function discoverTokenEndpoint(
  configurationUrl: URL,
  options: FetchBounds & { readonly scheme: string },
): Promise<URL> {
  const fail = (reason: string): never => {
    throw new UpstreamError(
      'token_request_failed',
      `upstream scheme "${options.scheme}": OpenID Connect discovery ${reason}`,
    );
  };
  let answer;
  try {
    answer = await fetchDiscoveryDocument(configurationUrl, options, fetchRefusingRedirects);
  } catch (error) {
    if (error instanceof FetchBoundedError) return fail(error.reason);
    throw error;
  }
  if (answer.kind === 'status') return fail(`answered HTTP ${answer.status}`);
  if (answer.kind === 'not-json') return fail('did not answer with a JSON object');
  const { issuer, token_endpoint: tokenEndpoint } = answer.document;
  const href = configurationUrl.href;
  // An issuer of `https://as.example/` is served at `https://as.example/.well-known/...` (§4.1 drops the slash).
  const expected = href.slice(0, -OPENID_CONFIGURATION.length).replace(/\/$/, '');
  if (href.endsWith(OPENID_CONFIGURATION) && (typeof issuer !== 'string' || issuer.replace(/\/$/, '') !== expected)) {
    return fail('returned an issuer that does not match its URL');
  }
  if (typeof tokenEndpoint !== 'string') return fail('returned no token_endpoint');
  return parseTokenEndpointUrl(
    tokenEndpoint,
    undefined,
    `the token_endpoint discovered for scheme "${options.scheme}"`,
  );
}
