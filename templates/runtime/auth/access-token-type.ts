import { InvalidTokenError } from './auth-error.js';

/** The variable that lets plain JWTs through, named in the refusal so an operator finds it. */
const ACCEPT_PLAIN_JWT_ENV = 'OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT';

/**
 * RFC 9068 §4: "Resource servers receiving a JWT access token MUST validate that the `typ` header
 * value is `at+jwt` or `application/at+jwt` and reject tokens carrying any other value." The
 * comparison is case-insensitive (RFC 7515 §4.1.9: media types are). This is what keeps an ID token
 * or a logout token of the same issuer from being used as an access token (RFC 8725 §3.11).
 *
 * `acceptPlainJwt` (OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT) also lets `JWT` and an absent `typ` through,
 * for issuers that cannot type their access tokens: Microsoft Entra ID (`typ` is always `JWT`),
 * Auth0 with its default "Auth0" token profile (switch the API to the "RFC 9068" profile instead),
 * Keycloak clients without the `at+jwt` header type setting, Okta and Amazon Cognito (no `typ`).
 * Other types (`dpop+jwt`, `logout+jwt`...) are refused either way. The description names the value
 * received (printable ASCII, cut short), never the token. Call it on a verified header, so that
 * a forged token is told only that its signature is wrong.
 */
export function checkAccessTokenType(typ: unknown, acceptPlainJwt: boolean): void {
  if (typ === undefined) {
    if (acceptPlainJwt) return;
    throw new InvalidTokenError(
      `token has no "typ" header, RFC 9068 requires at+jwt; set ${ACCEPT_PLAIN_JWT_ENV}=true to accept it`,
    );
  }
  if (typeof typ !== 'string') throw new InvalidTokenError('token "typ" header is not a string');
  const normalized = typ.toLowerCase().replace(/^application\//, '');
  if (normalized === 'at+jwt') return;
  if (normalized === 'jwt') {
    if (acceptPlainJwt) return;
    throw new InvalidTokenError(
      `token typ ${shown(typ)} is not at+jwt (RFC 9068); set ${ACCEPT_PLAIN_JWT_ENV}=true to accept it`,
    );
  }
  throw new InvalidTokenError(`token typ ${shown(typ)} is not at+jwt (RFC 9068)`);
}

/** A value from a token, safe to quote in an error description: printable ASCII without quotes, at most 40 characters. */
export function shown(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]|["\\]/g, '?');
  return `"${printable.length > 40 ? `${printable.slice(0, 40)}...` : printable}"`;
}
