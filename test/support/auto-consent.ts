import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Grant, Provider } from 'oidc-provider';

/** What the auto-consent interaction may do for one account. */
export interface ConsentingAccount {
  /** Scopes this account agrees to; others are refused (RFC 6749 §3.3: the AS may issue fewer). Absent: all. */
  grantableScopes?: readonly string[];
}

/**
 * Stands in for a person at the authorization server's `/interaction/:uid` page, so a headless
 * client can complete authorization code + PKCE: the login prompt signs `accountId` in, the
 * consent prompt grants every requested scope the account may have and refuses the rest (a
 * refused scope is recorded as rejected, so oidc-provider does not ask again and the token
 * simply lacks it). The answer is a redirect back to the authorization endpoint.
 */
export async function autoConsent(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  accountId: string,
  account: ConsentingAccount,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name !== 'consent') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: `the test harness cannot answer prompt ${details.prompt.name}` },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  const grant: Grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId: details.session?.accountId ?? accountId, clientId: details.params.client_id });
  const allowed = (scope: string) => account.grantableScopes === undefined || account.grantableScopes.includes(scope);
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;

  // openid and offline_access are protocol scopes, not the account's permissions.
  const oidcAllowed = (scope: string) => scope === 'openid' || scope === 'offline_access' || allowed(scope);
  const oidcGranted = (missingOIDCScope ?? []).filter(oidcAllowed);
  const oidcRefused = (missingOIDCScope ?? []).filter((scope) => !oidcAllowed(scope));
  if (oidcGranted.length > 0) grant.addOIDCScope(oidcGranted.join(' '));
  if (oidcRefused.length > 0) grant.rejectOIDCScope(oidcRefused.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);

  for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
    const granted = scopes.filter(allowed);
    const refused = scopes.filter((scope) => !allowed(scope));
    if (granted.length > 0) grant.addResourceScope(resource, granted.join(' '));
    if (refused.length > 0) grant.rejectResourceScope(resource, refused.join(' '));
  }

  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}
