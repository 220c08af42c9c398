/**
 * Where this resource's RFC 9728 metadata lives: the well-known suffix is
 * inserted between the host and the path (RFC 9728 §3.1); a root URL gets
 * the bare suffix, since the terminating slash after the host is removed.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */
export function protectedResourceMetadataUrl(publicUrl: URL): string {
  const path = publicUrl.pathname === '/' ? '' : publicUrl.pathname;
  return `${publicUrl.origin}/.well-known/oauth-protected-resource${path}${publicUrl.search}`;
}

export interface BearerChallenge {
  /** RFC 9728 §5.1: the metadata URL, so that a client can discover the authorization server (OAuth mode). */
  readonly resourceMetadata?: string;
  /** RFC 6750 §3: the scopes needed (space-separated when several). */
  readonly scope?: string | readonly string[];
  /** RFC 6750 §3.1; absent when no credential was sent (§3: no error code then). */
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  readonly errorDescription?: string;
}

/**
 * A `WWW-Authenticate` value for the Bearer scheme (RFC 6750 §3). Every
 * parameter is a quoted-string escaped per RFC 9110 §5.6.4, so that a
 * description or scope can never end the string early or inject another
 * parameter or header line.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerChallenge(challenge: BearerChallenge): string {
  const params: string[] = [];
  if (challenge.error !== undefined) params.push(`error=${quoted(challenge.error)}`);
  if (challenge.errorDescription !== undefined) params.push(`error_description=${quoted(challenge.errorDescription)}`);
  const scope = typeof challenge.scope === 'string' ? challenge.scope : challenge.scope?.join(' ');
  if (scope !== undefined && scope !== '') params.push(`scope=${quoted(scope)}`);
  if (challenge.resourceMetadata !== undefined) params.push(`resource_metadata=${quoted(challenge.resourceMetadata)}`);
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/**
 * RFC 9110 §5.6.4 quoted-string: CR, LF and other controls removed (they
 * could split the header), characters outside printable ASCII removed (Node
 * refuses them in a header and RFC 6750 §3 allows none), then backslash and
 * DQUOTE escaped.
 */
export function quoted(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '');
  return `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
