import type { AuthError } from '../auth/auth-error.js';
import { bearerChallenge } from '../auth/www-authenticate.js';

/** What the challenges of this server name (RFC 9728 §5.1, RFC 6750 §3). */
export interface ChallengeSettings {
  /** The RFC 9728 metadata URL (OAuth only; API keys have no discovery). */
  readonly resourceMetadataUrl?: string;
  /** Scopes the initial challenge names: the scopes the tools need. */
  readonly scopesSupported: readonly string[];
}

/** An HTTP answer, framework-free; the adapter writes it. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Seconds a client is told to wait when the verifier gave no figure. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * JSON-RPC error codes of the refusals (JSON-RPC 2.0 §5.1 leaves -32000 to
 * -32099 to the implementation); `error.data.error` carries the OAuth code.
 */
const AUTH_ERROR_RPC_CODES = {
  invalid_request: -32600,
  unauthorized: -32001,
  forbidden: -32003,
  unavailable: -32000,
} as const;

/**
 * The one mapping from an `AuthError` to the HTTP response of the MCP
 * endpoint: the status and `WWW-Authenticate` challenge of RFC 6750 §3
 * (pointing at the metadata per RFC 9728 §5.1), `Retry-After` on 503, and a
 * JSON-RPC error body (the endpoint speaks JSON-RPC, so clients and the
 * 2026-07-28 wire check read every answer as one), with the OAuth `error`
 * and `error_description` in `error.data`. `id` is the request's id when the
 * body was read, else null.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function authErrorResponse(
  error: AuthError,
  settings: ChallengeSettings,
  id: string | number | null = null,
): HttpAnswer {
  const challenge = (params: {
    error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
    scope?: readonly string[];
  }) =>
    bearerChallenge({
      ...(settings.resourceMetadataUrl ? { resourceMetadata: settings.resourceMetadataUrl } : {}),
      // The initial challenge names the scopes the tools need; a step-up names the ones this call needs.
      scope: params.scope ?? settings.scopesSupported,
      ...(params.error ? { error: params.error, errorDescription: error.description } : {}),
    });
  switch (error.code) {
    case 'credential_missing':
      // RFC 6750 §3.1: no error code when the request carried no authentication information.
      return answer(
        401,
        { 'www-authenticate': challenge({}) },
        AUTH_ERROR_RPC_CODES.unauthorized,
        'Unauthorized',
        { error: 'unauthorized' },
        id,
      );
    case 'invalid_request':
      return answer(
        400,
        { 'www-authenticate': challenge({ error: 'invalid_request' }) },
        AUTH_ERROR_RPC_CODES.invalid_request,
        error.description,
        oauth('invalid_request', error),
        id,
      );
    case 'invalid_token':
      return answer(
        401,
        { 'www-authenticate': challenge({ error: 'invalid_token' }) },
        AUTH_ERROR_RPC_CODES.unauthorized,
        error.description,
        oauth('invalid_token', error),
        id,
      );
    case 'insufficient_scope':
      return answer(
        403,
        { 'www-authenticate': challenge({ error: 'insufficient_scope', scope: error.scopes ?? [] }) },
        AUTH_ERROR_RPC_CODES.forbidden,
        error.description,
        { ...oauth('insufficient_scope', error), scope: (error.scopes ?? []).join(' ') },
        id,
      );
    case 'access_denied':
      // A role or policy denial: no scope would help, so no challenge a client could step up on.
      return answer(403, {}, AUTH_ERROR_RPC_CODES.forbidden, error.description, oauth('access_denied', error), id);
    case 'unavailable': {
      // Fail closed (DESIGN.md §5). The description is for the operator's log, not the client.
      const retry = String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
      const description = 'the server cannot verify tokens right now';
      return answer(
        503,
        { 'retry-after': retry },
        AUTH_ERROR_RPC_CODES.unavailable,
        description,
        { error: 'temporarily_unavailable', error_description: description },
        id,
      );
    }
  }
}

function oauth(code: string, error: AuthError): Record<string, string> {
  return { error: code, error_description: error.description };
}

function answer(
  status: number,
  headers: Record<string, string>,
  code: number,
  message: string,
  data: Record<string, string>,
  id: string | number | null,
): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id, error: { code, message, data } }),
  };
}
