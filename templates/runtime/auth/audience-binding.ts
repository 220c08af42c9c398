import { shown } from './access-token-type.js';
import type { OAuthSettings } from './auth-config.js';
import { InvalidTokenError } from './principal.js';

/** The variable that binds audience-less access tokens to client ids, named in refusals so an operator finds it. */
const CLIENT_ID_AS_AUDIENCE_ENV = 'OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE';

/**
 * The refusal for a token whose `aud` is not this server (RFC 8707 §2; MCP authorization
 * "Token Audience Binding"), naming what the token carried so that an operator sees at once
 * Keycloak's default `account`, an Entra `api://` or GUID audience, or a missing `aud`. Values
 * come from a verified token and are shown through `shown` (printable ASCII, cut short), at most
 * three of them; the accepted audiences are not echoed to the caller.
 */
export function audienceRefusal(aud: unknown): string {
  if (aud === undefined || (Array.isArray(aud) && aud.length === 0)) {
    return 'token has no audience ("aud"); it must name this resource (OAUTH_AUDIENCE)';
  }
  const values = Array.isArray(aud) ? aud : [aud];
  const named = values
    .slice(0, 3)
    .map((value) => (typeof value === 'string' ? shown(value) : '(not a string)'))
    .join(', ');
  return `token audience ${named}${values.length > 3 ? ', ...' : ''} is not this resource (OAUTH_AUDIENCE)`;
}

/**
 * The audience check used instead of jose's when OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE is
 * set (Amazon Cognito: access tokens carry `client_id` and `token_use: access`, never `aud`).
 * A token with an `aud` is held to OAUTH_AUDIENCE exactly as usual. A token without one passes
 * only if all of these hold:
 * - its `client_id` is one of the configured ids (`azp` is not enough: it is an ID token claim);
 * - it says it is an access token: `typ` `at+jwt` (RFC 9068 §2.1) or `token_use` `access`
 *   (Cognito), so that an ID token of the same client is not taken for one.
 *
 * This is weaker than RFC 8707: the token is bound to a client, not to this server, so a token
 * the same client obtained for another resource server of the same issuer passes too. Use it
 * only with a client (app client) dedicated to this MCP server. Runs on a verified payload.
 */
export function checkAudienceOrClientId(
  payload: Readonly<Record<string, unknown>>,
  typ: unknown,
  settings: Pick<OAuthSettings, 'audiences' | 'clientIdAudiences'>,
): void {
  const { aud } = payload;
  if (aud !== undefined) {
    const values = Array.isArray(aud) ? aud : [aud];
    if (!values.some((value) => typeof value === 'string' && settings.audiences.includes(value))) {
      throw new InvalidTokenError(audienceRefusal(aud));
    }
    return;
  }
  const clientId = payload.client_id;
  const allowed = settings.clientIdAudiences ?? [];
  if (typeof clientId !== 'string' || !allowed.includes(clientId)) {
    throw new InvalidTokenError(
      typeof clientId === 'string'
        ? `token has no audience ("aud") and its client_id ${shown(clientId)} is not in ${CLIENT_ID_AS_AUDIENCE_ENV}`
        : 'token has neither an audience ("aud") nor a "client_id"',
    );
  }
  const typed = typeof typ === 'string' && /^(application\/)?at\+jwt$/i.test(typ);
  if (!typed && payload.token_use !== 'access') {
    throw new InvalidTokenError(
      'token has no audience ("aud") and nothing marks it as an access token (typ at+jwt or token_use "access")',
    );
  }
}

/**
 * Amazon Cognito marks every token with `token_use` (`id` or `access`); an ID token is never an
 * access token (RFC 8725 §3.11, OpenID Connect Core §2), whatever its audience.
 */
export function checkTokenUse(payload: Readonly<Record<string, unknown>>): void {
  const { token_use: use } = payload;
  if (use === undefined || use === 'access') return;
  throw new InvalidTokenError(
    `token_use ${typeof use === 'string' ? shown(use) : '(not a string)'} is not an access token`,
  );
}
