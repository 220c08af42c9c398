import type { Principal } from './principal.js';
import { InvalidTokenError } from './principal.js';

/**
 * Granted scopes: `scope`, a space-separated string (RFC 9068 §2.2.3,
 * RFC 7662 §2.2), else `scp` as an array or a string (common in Azure AD and
 * Okta). With `scopesClaim` (OAUTH_SCOPES_CLAIM, e.g. Auth0's RBAC
 * `permissions`), that claim instead, as an array or a space-separated
 * string, and `scope`/`scp` are ignored. A malformed claim refuses the token
 * rather than granting nothing silently. Does not apply scope hierarchies:
 * the guard does.
 */
export function scopesFromClaims(claims: Readonly<Record<string, unknown>>, scopesClaim?: string): readonly string[] {
  if (scopesClaim !== undefined) {
    const granted = Object.hasOwn(claims, scopesClaim) ? claims[scopesClaim] : undefined;
    if (granted === undefined) return [];
    return stringOrStrings(granted, scopesClaim);
  }
  const { scope, scp } = claims;
  if (scope !== undefined) {
    if (typeof scope !== 'string') throw new InvalidTokenError('token "scope" claim is not a string');
    return split(scope);
  }
  if (scp === undefined) return [];
  return stringOrStrings(scp, 'scp');
}

function stringOrStrings(value: unknown, name: string): string[] {
  if (typeof value === 'string') return split(value);
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return [...new Set(value.flatMap(split))];
  throw new InvalidTokenError(
    `token ${JSON.stringify(name).replace(/[^\x20-\x7e]/g, '?')} claim is neither a string nor an array of strings`,
  );
}

/** `client_id` (RFC 9068 §2.2, RFC 7662 §2.2), else `azp` (OpenID Connect Core §2). */
function clientIdFromClaims(claims: Readonly<Record<string, unknown>>): string | undefined {
  const { client_id: clientId, azp } = claims;
  if (typeof clientId === 'string' && clientId !== '') return clientId;
  if (typeof azp === 'string' && azp !== '') return azp;
  return undefined;
}

/**
 * `sub` (RFC 9068 §2.2 requires it); a client-credentials token without one
 * is attributed to its client. Neither: refused, so no call is anonymous.
 */
function subjectFromClaims(claims: Readonly<Record<string, unknown>>): string {
  const { sub } = claims;
  if (typeof sub === 'string' && sub !== '') return sub;
  if (sub !== undefined) throw new InvalidTokenError('token "sub" claim is not a string');
  const clientId = clientIdFromClaims(claims);
  if (clientId !== undefined) return clientId;
  throw new InvalidTokenError('token has no subject ("sub" or "client_id")');
}

function split(value: string): string[] {
  return [...new Set(value.split(' ').filter(Boolean))];
}

/** Where the granted scopes are read (OAUTH_SCOPES_CLAIM) and how they are qualified (OAUTH_GRANTED_SCOPE_PREFIX). */
export interface ScopeReading {
  readonly scopesClaim?: string;
  readonly grantedScopePrefix?: string;
}

/**
 * Microsoft Entra ID: a client asks for `api://<app>/pets.read` (or `<Application ID URI>/pets.read`)
 * but the token's `scp` says `pets.read`. With a prefix configured, each granted scope that does not
 * already start with it gets it, so that it matches the qualified tool scope the metadata advertised.
 */
function qualifyScopes(scopes: readonly string[], prefix: string | undefined): readonly string[] {
  if (!prefix) return scopes;
  return [...new Set(scopes.map((scope) => (scope.startsWith(prefix) ? scope : `${prefix}${scope}`)))];
}

/** The principal a verified token describes (JWT payload or RFC 7662 introspection response). */
export function principalFromClaims(
  claims: Readonly<Record<string, unknown>>,
  via: 'jwt' | 'introspection',
  reading: ScopeReading = {},
): Principal {
  const clientId = clientIdFromClaims(claims);
  return Object.freeze({
    subject: subjectFromClaims(claims),
    ...(clientId === undefined ? {} : { clientId }),
    scopes: Object.freeze(qualifyScopes(scopesFromClaims(claims, reading.scopesClaim), reading.grantedScopePrefix)),
    claims,
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
    via,
  });
}
