import { fetchBounded, jsonObject, type BoundedResponse, type FetchBounds } from './fetch-bounded.js';

/**
 * Authorization server metadata (RFC 8414) and OpenID Provider
 * configuration (OpenID Connect Discovery 1.0): where the documents are and
 * how one is read. The resource server's issuer discovery
 * (auth/issuer-metadata.ts) and the upstream OAuth client's token-endpoint
 * discovery (http/openid-discovery.ts) both read them here; each applies its
 * own rules to what the document says.
 */

/** RFC 8414 §3: the well-known suffix of authorization server metadata. */
const OAUTH_AUTHORIZATION_SERVER = '/.well-known/oauth-authorization-server';
/** OpenID Connect Discovery 1.0 §4: the well-known suffix of a provider configuration. */
export const OPENID_CONFIGURATION = '/.well-known/openid-configuration';

/**
 * The metadata URLs of an issuer, in the order of the MCP authorization spec
 * (2025-11-25, "Authorization Server Metadata Discovery"): RFC 8414 §3.1
 * with the well-known suffix inserted before the issuer's path, then OpenID
 * Connect Discovery with path insertion, then OpenID Connect Discovery §4
 * appended to the issuer.
 */
export function metadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') {
    return [new URL(OAUTH_AUTHORIZATION_SERVER, url.origin), new URL(OPENID_CONFIGURATION, url.origin)];
  }
  return [
    new URL(`${OAUTH_AUTHORIZATION_SERVER}${path}`, url.origin),
    new URL(`${OPENID_CONFIGURATION}${path}`, url.origin),
    new URL(`${path}${OPENID_CONFIGURATION}`, url.origin),
  ];
}

/** What a metadata URL answered: a JSON object, another status, or a 200 that is not a JSON object. */
export type DiscoveryAnswer =
  | { readonly kind: 'document'; readonly document: Record<string, unknown> }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'not-json' };

/** How a document is fetched: `fetchBounded`, or a caller's wrapper that words failures its own way. */
export type DocumentFetch = (url: URL, init: RequestInit, bounds: FetchBounds) => Promise<BoundedResponse>;

/**
 * GETs one metadata document within `bounds` (no redirects: a 3xx is a
 * status). Throws what `fetch` throws (`FetchBoundedError` by default).
 */
export async function fetchDiscoveryDocument(
  url: URL,
  bounds: FetchBounds,
  fetch: DocumentFetch = fetchBounded,
): Promise<DiscoveryAnswer> {
  const response = await fetch(url, { method: 'GET', headers: { accept: 'application/json' } }, bounds);
  if (response.status !== 200) return { kind: 'status', status: response.status };
  const document = jsonObject(response.body);
  return document ? { kind: 'document', document } : { kind: 'not-json' };
}
