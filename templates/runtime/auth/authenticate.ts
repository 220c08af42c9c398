import { AuthError } from './auth-error.js';
import { bearerCandidate, checkBearerSyntax } from './bearer-token.js';
import type { CredentialHeaders } from './bearer-token.js';
import type { Principal, TokenVerifier } from './principal.js';

export interface AuthenticateOptions {
  readonly verifier: TokenVerifier;
  readonly maxTokenBytes: number;
  /** API-key mode: `X-API-Key` is accepted besides `Authorization: Bearer`. */
  readonly apiKeyHeader?: boolean;
}

/** A verified credential: who is calling, and the token itself (only for RFC 8693 exchange, never logged). */
export interface Authenticated {
  readonly principal: Principal;
  readonly token: string;
}

/**
 * Authentication, free of any HTTP framework: extract the credential, verify
 * it. Does not authorize (scopes, roles and policy are `rbac/`'s). Answers
 * without a promise when the verifier recalls the token (`TokenVerifier.recall`,
 * a cache hit): the request path's common case.
 * @throws {AuthError} synchronously for a credential refused before verifying
 *   (missing, malformed, repeated, too large); a verification refusal rejects
 *   with an `AuthError`, an unexpected verifier failure as `unavailable` (fail
 *   closed), with the failure as `cause`.
 */
export function authenticateNow(
  headers: CredentialHeaders,
  options: AuthenticateOptions,
): Authenticated | Promise<Authenticated> {
  const token = bearerCandidate(headers, options.maxTokenBytes, options.apiKeyHeader === true);
  // A token the verifier recalls is one it verified, which passed the syntax check then: the
  // check runs over every other before it is verified, with the same refusal as before.
  const known = options.verifier.recall?.(token);
  if (known) return { principal: known, token };
  checkBearerSyntax(token);
  return verified(token, options.verifier);
}

async function verified(token: string, verifier: TokenVerifier): Promise<Authenticated> {
  try {
    return { principal: await verifier.verify(token), token };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw new AuthError('unavailable', 'token verification failed', { cause: error });
  }
}
