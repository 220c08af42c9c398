import { shown } from '../auth/access-token-type.js';
import { ROLE_CLAIM_PRESETS, readClaim } from '../rbac/roles.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What to change when a token's `aud` is not this server, for the usual
 * identity-provider shapes. Accepting another resource's audience would let
 * tokens meant for it in (RFC 8707; MCP authorization "Token Audience
 * Binding"), so OAUTH_AUDIENCE is suggested only for audiences that can name
 * this server alone.
 */
export function audienceHint(audience: readonly string[], accepted: readonly string[]): string {
  const want = accepted[0] ?? 'MCP_PUBLIC_URL';
  if (audience.includes('account')) {
    return `"account" is Keycloak's default audience, not this server: add an Audience mapper (included client audience or custom audience ${shown(want)}) to the client scope the MCP client gets, and do not accept "account"`;
  }
  const own = audience.find((aud) => aud.startsWith('api://') || GUID.test(aud));
  if (own !== undefined) {
    return `${shown(own)} looks like a Microsoft Entra ID application (v1 tokens carry api://..., v2 tokens the client id): if that application stands for this MCP server only, set OAUTH_AUDIENCE=${own}; otherwise request tokens for ${shown(want)}`;
  }
  if (audience.some((aud) => /\/userinfo$/.test(aud)) || audience.length === 0) {
    return `the token was issued without this server as resource: have the MCP client send resource=${want} (RFC 8707) and configure the authorization server to put it in aud (Auth0: an API whose identifier is ${want})`;
  }
  return `make the authorization server issue tokens with aud ${shown(want)} for resource=${want}, or, if the token's audience names this server only, set OAUTH_AUDIENCE to it`;
}

/** Where a token seems to keep roles when it lacks the configured claim: a ready OAUTH_ROLES_CLAIM value, or a generic hint. */
export function roleClaimHint(claims: Readonly<Record<string, unknown>>): string {
  const presets = Object.entries(ROLE_CLAIM_PRESETS).filter(([, path]) => isNames(readClaim(claims, path)));
  // Claim names come from the token: only plain ones are quoted back.
  const auth0 = Object.keys(claims).find(
    (key) => /^https?:\/\/[\w.:/-]{1,200}\/roles$/.test(key) && isNames(claims[key]),
  );
  const keycloakClient = Object.entries(isRecord(claims.resource_access) ? claims.resource_access : {}).find(
    ([id, v]) => /^[\w.:-]{1,100}$/.test(id) && isRecord(v) && isNames(v.roles),
  );
  const found = [
    ...presets.map(([name, path]) => `"${path}" (OAUTH_ROLES_CLAIM=${name})`),
    ...(auth0 ? [`"${auth0}" (OAUTH_ROLES_CLAIM=auth0:${auth0.slice(0, -'/roles'.length)})`] : []),
    ...(keycloakClient
      ? [`"resource_access.${keycloakClient[0]}.roles" (OAUTH_ROLES_CLAIM=keycloak-client:${keycloakClient[0]})`]
      : []),
  ];
  if (found.length > 0) return `The token has roles at ${found.join(', ')}: set OAUTH_ROLES_CLAIM accordingly`;
  if (isNames(claims.permissions))
    return 'The token has a "permissions" claim (Auth0 RBAC): roles are a separate claim; add them to the access token with an Action, or use scopes';
  return 'Either this user has no roles, or the authorization server does not put roles in access tokens: add a roles (or groups) claim to the access token, or point OAUTH_ROLES_CLAIM at the claim that has them';
}

function isNames(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) ||
    (typeof value === 'string' && value !== '')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
