/** Who is calling: the result of authenticating one request. Never holds the credential itself. */
export interface Principal {
  /** `sub` of the token, or the subject an API key is issued to. */
  readonly subject: string;
  /** `client_id` (RFC 9068 §2.2) or `azp`, when known. */
  readonly clientId?: string;
  /** Granted scopes as sent (`scope` string or `scp` array); hierarchies are applied by the guard. */
  readonly scopes: readonly string[];
  /** Roles carried by the credential itself (API keys). For tokens, roles come from `claims` via the roles claim. */
  readonly roles?: readonly string[];
  /** Verified claims (JWT payload or introspection response). Empty for API keys. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Expiry, seconds since the epoch, when known. */
  readonly expiresAt?: number;
  readonly via: 'jwt' | 'introspection' | 'api-key' | 'stdio' | 'none';
}

/** Verifies one bearer credential. Implementations never log or echo it. */
export interface TokenVerifier {
  /** Resolves the principal, or rejects with `InvalidTokenError` or `AuthUnavailableError`. */
  verify(token: string): Promise<Principal>;
  /**
   * The principal of a token this verifier verified before and would accept
   * now without asking anyone (a cache hit), else `undefined`: then `verify`
   * decides. Synchronous, so the request path spends no promise on the common
   * case of a client sending the same token again. Never refuses: a token it
   * does not recall goes to `verify`, which holds every check.
   */
  recall?(token: string): Principal | undefined;
}

export { AuthUnavailableError, InvalidTokenError } from './auth-error.js';
