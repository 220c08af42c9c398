import { clientSecretBasic } from './client-secret-basic.js';
import { createSecretRedactor } from './secret-redactor.js';
import { fetchJson, FetchBoundedError, type FetchBounds } from './fetch-bounded.js';
import { UpstreamError } from './upstream-error.js';

/** The server's own OAuth client at the upstream's authorization server. */
export interface OAuthClient {
  readonly id: string;
  readonly secret: string;
}

/** A token endpoint answer that passed every check below. */
export interface IssuedToken {
  readonly accessToken: string;
  /** Seconds, when the server said (RFC 6749 §5.1 `expires_in` is only RECOMMENDED). */
  readonly expiresIn?: number;
}

export interface TokenRequestOptions extends FetchBounds {
  /** The security scheme the token is for; the only name error messages carry. */
  readonly scheme: string;
  /** RFC 8693 §2.2.1: the answer must say it issued an access token (or a JWT). */
  readonly tokenExchange?: boolean;
}

export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt';
/** RFC 6750 §2.1 `b64token`: anything else could not be sent in `Authorization: Bearer`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 6749 §5.2: `error` is `1*( %x20-21 / %x23-5B / %x5D-7E )`; longer codes are not codes. */
const ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

/**
 * POSTs one token request (`params`: `grant_type` and the grant's own
 * parameters) with `client_secret_basic` authentication (RFC 6749 §2.3.1:
 * id and secret each form-urlencoded, then HTTP Basic) and checks the
 * answer: RFC 6749 §5.1 requires `access_token` and `token_type`, and only
 * `Bearer` tokens can be sent upstream (RFC 6750).
 *
 * Failures throw `token_request_failed` naming the scheme and, for an
 * RFC 6749 §5.2 error response, the `error` code only: never
 * `error_description` (free text the server may fill with anything), the
 * secret, the subject token or a token.
 * @throws {UpstreamError} `token_request_failed`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.2
 */
export async function requestToken(
  endpoint: URL,
  params: URLSearchParams,
  client: OAuthClient,
  options: TokenRequestOptions,
): Promise<IssuedToken> {
  const fail = (reason: string): never => {
    throw new UpstreamError(
      'token_request_failed',
      `upstream scheme "${options.scheme}": the token endpoint ${reason}`,
    );
  };
  let answer;
  try {
    answer = await fetchJson(
      endpoint,
      {
        method: 'POST',
        headers: {
          Authorization: clientSecretBasic(client.id, client.secret),
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: params.toString(),
      },
      options,
    );
  } catch (error) {
    if (error instanceof FetchBoundedError) return fail(error.reason);
    throw error;
  }
  const body = isRecord(answer.json) ? answer.json : undefined;
  if (answer.status !== 200) {
    const code = body && typeof body.error === 'string' && ERROR_CODE.test(body.error) ? body.error : undefined;
    // The code is the server's free choice: it may echo the request (the Basic header, the secret, the subject token).
    const echoes = createSecretRedactor([
      client.secret,
      clientSecretBasic(client.id, client.secret).slice('Basic '.length),
      params.get('subject_token') ?? '',
    ]);
    const secretInCode =
      code !== undefined &&
      ([client.id, client.secret].some((s) => s.length > 0 && code.includes(s)) || echoes.redact(code) !== code);
    return fail(
      code && !secretInCode ? `refused the request: ${code} (HTTP ${answer.status})` : `answered HTTP ${answer.status}`,
    );
  }
  if (!body) return fail('did not answer with a JSON object');
  const token = body.access_token;
  if (typeof token !== 'string' || !B64TOKEN.test(token)) return fail('answered without a usable access_token');
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    // RFC 6749 §7.1: the client MUST NOT use a token whose type it does not understand.
    return fail('issued a token that is not a Bearer token');
  }
  if (
    options.tokenExchange &&
    body.issued_token_type !== undefined &&
    body.issued_token_type !== TOKEN_TYPE_ACCESS_TOKEN &&
    body.issued_token_type !== TOKEN_TYPE_JWT
  ) {
    return fail('issued a token that is not an access token');
  }
  const expiresIn = seconds(body.expires_in);
  return expiresIn === undefined ? { accessToken: token } : { accessToken: token, expiresIn };
}

/** `expires_in` as a number of seconds; some servers send a numeric string. */
function seconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
