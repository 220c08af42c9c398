/**
 * Why a request to the MCP endpoint is not served as asked: a closed set,
 * like jose's error codes, so one function (the HTTP adapter) maps each to
 * exactly one response.
 * - `credential_missing`: 401, challenge without an error code (RFC 6750 §3.1).
 * - `invalid_request`: 400 `invalid_request` (RFC 6750 §3.1), e.g. two `Authorization` headers.
 * - `invalid_token`: 401 `invalid_token` (RFC 6750 §3.1).
 * - `insufficient_scope`: 403 `insufficient_scope` naming `scopes` (step-up).
 * - `access_denied`: 403 for a role or policy denial; no scope would help.
 * - `unavailable`: 503 with `Retry-After`; the server cannot decide, so it fails closed.
 */
export type AuthErrorCode =
  'credential_missing' | 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'access_denied' | 'unavailable';

export interface AuthErrorOptions extends ErrorOptions {
  /** `insufficient_scope`: the scopes of the alternative cheapest for this caller. */
  readonly scopes?: readonly string[];
  /** `unavailable`: seconds a client should wait before retrying. */
  readonly retryAfterSeconds?: number;
}

/**
 * The one error of the authorization core. `description` is safe to send
 * to the client: it never holds a credential or any part of one. The
 * underlying error (jose's, a fetch failure) is kept as `cause`.
 */
export class AuthError extends Error {
  readonly scopes?: readonly string[];
  readonly retryAfterSeconds?: number;
  constructor(
    readonly code: AuthErrorCode,
    readonly description: string,
    options: AuthErrorOptions = {},
  ) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthError';
    if (options.scopes) this.scopes = options.scopes;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * The credential is missing its mark: bad signature, wrong issuer or
 * audience, expired, malformed, unknown key... Answered with 401 and
 * `error="invalid_token"` (RFC 6750 §3.1).
 */
export class InvalidTokenError extends AuthError {
  constructor(description: string, options?: ErrorOptions) {
    super('invalid_token', description, options);
    this.name = 'InvalidTokenError';
  }
}

/**
 * The server cannot decide (JWKS, metadata or introspection endpoint not
 * reachable or unusable). Fail closed: 503, no access; the next request
 * tries again. The message is for the operator's log, not the client.
 */
export class AuthUnavailableError extends AuthError {
  constructor(message: string, options?: AuthErrorOptions) {
    super('unavailable', message, options);
    this.name = 'AuthUnavailableError';
  }
}
