/**
 * Where identity providers put a user's roles in an access token. A value of
 * `OAUTH_ROLES_CLAIM` (or config `authorization.rolesClaim`) is either one of
 * these presets or a claim path.
 */
export const ROLE_CLAIM_PRESETS: Readonly<Record<string, string>> = {
  /** Keycloak realm roles. Client roles: `keycloak-client:<client id>`. */
  keycloak: 'realm_access.roles',
  /** Microsoft Entra ID app roles. */
  entra: 'roles',
  /** Okta groups claim (add it to the authorization server's access token). */
  okta: 'groups',
  /** Amazon Cognito user pool groups. */
  cognito: 'cognito:groups',
};

/**
 * Resolves a roles claim spec to the path to read:
 * - a preset name (`keycloak`, `entra`, `okta`, `cognito`);
 * - `keycloak-client:<client id>` for `resource_access.<client id>.roles`;
 * - `auth0:<namespace>` for Auth0's namespaced `<namespace>/roles` claim;
 * - anything else is a claim path (see `readClaim`).
 */
export function roleClaimPath(spec: string): string {
  if (Object.hasOwn(ROLE_CLAIM_PRESETS, spec)) return ROLE_CLAIM_PRESETS[spec] as string;
  if (spec.startsWith('keycloak-client:')) return `resource_access.${spec.slice('keycloak-client:'.length)}.roles`;
  if (spec.startsWith('auth0:')) return `${spec.slice('auth0:'.length).replace(/\/+$/, '')}/roles`;
  return spec;
}

/**
 * Reads a claim by path. A claim named exactly `path` wins (Auth0 claims are
 * URLs full of dots, Cognito's hold a colon); otherwise the path is split on
 * dots and followed through nested objects, trying the longest key first at
 * each level so a client id with a dot (`resource_access.my.app.roles`) works.
 */
export function readClaim(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  const parts = path.split('.');
  for (let take = parts.length - 1; take >= 1; take--) {
    const key = parts.slice(0, take).join('.');
    if (!Object.hasOwn(claims, key)) continue;
    const inner = claims[key];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      return readClaim(inner as Record<string, unknown>, parts.slice(take).join('.'));
    }
  }
  return undefined;
}

/** The caller's roles: an array of strings, or one string of space- or comma-separated names. Anything else is no roles. */
export function rolesFromClaims(claims: Readonly<Record<string, unknown>>, spec: string): string[] {
  const value = readClaim(claims, roleClaimPath(spec));
  const names = typeof value === 'string' ? value.split(/[\s,]+/) : Array.isArray(value) ? value : [];
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))].sort();
}
