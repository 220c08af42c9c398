export interface ProtectedResourceMetadataInput {
  /** The resource identifier: MCP_PUBLIC_URL, as tokens name it in `aud` (RFC 8707). */
  readonly resource: string;
  readonly authorizationServers: readonly string[];
  /** Scopes the tools need. */
  readonly scopesSupported: readonly string[];
  readonly resourceName?: string;
}

/** The RFC 9728 §2 document served at the protected-resource metadata URL. */
export type ProtectedResourceMetadata = {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported: readonly ['header'];
  readonly resource_name?: string;
};

/**
 * Builds the protected-resource metadata once, at start-up. Bearer tokens
 * are accepted in the header only (RFC 6750 §2.1; the query form is never
 * read). `offline_access` is never advertised: it asks for refresh tokens,
 * not for access to this resource, so a client copying `scopes_supported`
 * into its request must not ask for it. Empty or repeated scopes are dropped.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export function protectedResourceMetadata(input: ProtectedResourceMetadataInput): ProtectedResourceMetadata {
  const scopes = [...new Set(input.scopesSupported)].filter((scope) => scope !== '' && scope !== 'offline_access');
  return Object.freeze({
    resource: input.resource,
    authorization_servers: Object.freeze([...input.authorizationServers]),
    ...(scopes.length > 0 ? { scopes_supported: Object.freeze(scopes) } : {}),
    bearer_methods_supported: Object.freeze(['header'] as const),
    ...(input.resourceName === undefined ? {} : { resource_name: input.resourceName }),
  });
}
