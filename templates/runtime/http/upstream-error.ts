/**
 * The closed list of reasons a tool call cannot be turned into an upstream
 * request, or the upstream cannot be reached safely.
 */
export type UpstreamErrorCode =
  /** A path template variable has no value. */
  | 'missing_path_parameter'
  /** A path parameter value would change the request path (dot segment, empty segment). */
  | 'invalid_path_parameter'
  /** A header or cookie value contains CR, LF or NUL (RFC 9110 §5.5, RFC 6265 §4.1.1). */
  | 'invalid_header_value'
  /** An argument has a shape the binding cannot serialize. */
  | 'invalid_argument'
  /**
   * An argument would set a header, query parameter or cookie that the server
   * sets itself (its credentials), or a header that frames or routes the request.
   */
  | 'reserved_name'
  /** A required request body is missing. */
  | 'missing_body'
  /** The body argument cannot be encoded with the binding's encoding. */
  | 'invalid_body'
  /** A configured credential is unusable; the message names the variable, never the value. */
  | 'invalid_credential'
  /** The configured base URL is not an absolute http(s) URL without query or fragment. */
  | 'invalid_base_url'
  /** The request URL would leave the configured base URL's origin or path prefix. */
  | 'base_url_escape'
  /** A token endpoint or OpenID discovery URL is not https (loopback excepted), or not a URL. */
  | 'invalid_token_url'
  /**
   * An upstream OAuth token could not be obtained (endpoint unreachable, an
   * OAuth error response, a malformed token response). The message names the
   * scheme and at most the OAuth `error` code.
   */
  | 'token_request_failed';

/**
 * The single error type of the upstream caller. Messages never contain
 * argument values that could be secrets, nor credential values.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    readonly code: UpstreamErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
