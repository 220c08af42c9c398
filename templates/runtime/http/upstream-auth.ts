import { createHash } from 'node:crypto';
import type { SecuritySchemeDefinition } from '../mcp/types.js';
import { discoverTokenEndpoint } from './openid-discovery.js';
import { clientSecretBasic } from './client-secret-basic.js';
import type { SecretRedactor } from './secret-redactor.js';
import { createTokenCache, refreshAt, type CachedToken } from './token-cache.js';
import { parseTokenEndpointUrl } from './token-endpoint-url.js';
import { requestToken, TOKEN_TYPE_ACCESS_TOKEN, type OAuthClient } from './token-request.js';
import {
  credentialSecrets,
  credentialVariable,
  type CredentialEnv,
  type CredentialSuffix,
} from './upstream-credentials.js';
import { upstreamRedactor } from './upstream-redactor.js';
import { UpstreamError } from './upstream-error.js';

const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;
const DEFAULT_TOKEN_MAX_BYTES = 64 * 1024;
const DEFAULT_MAX_CACHED_TOKENS = 1000;

export interface UpstreamAuthOptions {
  /** The upstream base URL: relative `tokenUrl`s and `<env>_TOKEN_URL`s resolve against it. */
  readonly baseUrl?: string;
  /** Token endpoint and discovery requests: timeout and body cap. */
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  /** Bound on cached tokens (token exchange caches one per caller token). */
  readonly maxCachedTokens?: number;
  /** For tests. */
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch; for tests. */
  readonly now?: () => number;
  /** The server's redactor; default: {@link upstreamRedactor} of `env`, which the operator log can share. */
  readonly redactor?: SecretRedactor;
}

/** How a scheme obtains tokens at run time; a static `<env>_ACCESS_TOKEN` is not a flow. */
export type UpstreamTokenFlow = 'client_credentials' | 'token_exchange';

/** What one tool call knows about its caller. */
export interface UpstreamCallContext {
  /**
   * The caller's inbound access token, for RFC 8693 token exchange only: it is
   * sent to the upstream's token endpoint as `subject_token`, never to the
   * upstream API (MCP authorization 2025-11-25 "Token Passthrough").
   */
  readonly subjectToken?: string;
  /** Expiry of `subjectToken`, seconds since the epoch, when known: an exchanged token is not used past it. */
  readonly subjectExpiresAt?: number;
  /** Cancels the call (the MCP request was cancelled). */
  readonly signal?: AbortSignal;
}

export interface AcquiredToken {
  readonly token: string;
  /** Drops this token from the cache, e.g. after the upstream answered 401 to it. */
  discard(): void;
}

/** Upstream OAuth credentials of one server: its configuration, read once, and its token cache. */
export interface UpstreamAuth {
  /** The flow configured for `scheme`, or `undefined` (a static token, or nothing). */
  flowOf(scheme: string): UpstreamTokenFlow | undefined;
  /**
   * A token for `scheme` with `scopes` (`<env>_SCOPES` wins when set).
   * @throws {UpstreamError} `token_request_failed`, `invalid_token_url`, `invalid_credential`.
   */
  token(scheme: string, scopes: readonly string[], context?: UpstreamCallContext): Promise<AcquiredToken>;
  /**
   * Redacts every upstream secret of this server: the credentials in `env`
   * (all schemes), client secrets with their Basic header, and each token as
   * it is obtained.
   */
  readonly redactor: SecretRedactor;
}

interface FlowConfig {
  readonly flow: UpstreamTokenFlow;
  readonly client: OAuthClient;
  readonly endpoint: () => Promise<URL>;
  readonly scopes?: readonly string[];
  readonly audience?: string;
  readonly resource?: string;
}

const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * Reads every oauth2 / openIdConnect scheme's upstream OAuth settings from
 * `env` once, at start-up, so that a bad configuration fails at once, and
 * creates the server's token cache. Per scheme with prefix `<env>`:
 *
 * - `<env>_ACCESS_TOKEN`: a static token; no flow (handled by the caller).
 * - `<env>_CLIENT_ID` + `<env>_CLIENT_SECRET`: OAuth 2.0 client credentials
 *   (RFC 6749 §4.4) at `<env>_TOKEN_URL`, else the scheme's `tokenUrl`, else
 *   the `token_endpoint` discovered from its `openIdConnectUrl`.
 * - `<env>_TOKEN_EXCHANGE=true` (with the client): RFC 8693 token exchange of
 *   the caller's token instead. Opt-in, since it sends the caller's token to
 *   the upstream's authorization server.
 * - `<env>_SCOPES` (space or comma separated), `<env>_AUDIENCE`,
 *   `<env>_RESOURCE` (RFC 8707 §2: an absolute URI without fragment).
 *
 * Not done: `client_secret_post`, `private_key_jwt`, mTLS client
 * authentication; refresh tokens (client credentials issues none, RFC 6749 §4.4.3).
 * @throws {UpstreamError} `invalid_credential`, `invalid_token_url`, naming variables, never values.
 */
export function createUpstreamAuth(
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  env: CredentialEnv,
  options: UpstreamAuthOptions = {},
): UpstreamAuth {
  const now = options.now ?? Date.now;
  const http = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
    maxBytes: options.maxResponseBytes ?? DEFAULT_TOKEN_MAX_BYTES,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const flows = new Map<string, FlowConfig>();
  for (const [name, def] of Object.entries(schemes)) {
    if (def.type !== 'oauth2' && def.type !== 'openIdConnect') continue;
    const config = flowConfig(name, def, env, options.baseUrl, http);
    if (config) flows.set(name, config);
  }
  const cache = createTokenCache({ now, maxEntries: options.maxCachedTokens ?? DEFAULT_MAX_CACHED_TOKENS });
  // The default redactor (one per env, shared with the operator log) already knows env's credentials.
  const redactor = options.redactor ?? upstreamRedactor(schemes, env);
  if (options.redactor) for (const secret of credentialSecrets(schemes, env)) redactor.add(secret);
  for (const { client } of flows.values()) {
    redactor.add(client.secret);
    redactor.add(clientSecretBasic(client.id, client.secret).slice('Basic '.length));
  }

  return {
    flowOf: (scheme) => flows.get(scheme)?.flow,
    redactor,
    async token(scheme, requested, context = {}) {
      const config = flows.get(scheme);
      if (!config)
        throw new UpstreamError('invalid_credential', `upstream scheme "${scheme}" has no OAuth client configured`);
      const scopes = [...new Set(config.scopes ?? requested)].sort();
      const params = new URLSearchParams();
      let key: string;
      if (config.flow === 'client_credentials') {
        params.set('grant_type', 'client_credentials');
        key = `cc\n${scheme}\n${scopes.join(' ')}`;
      } else {
        const subject = context.subjectToken;
        if (!subject) {
          throw new UpstreamError(
            'invalid_credential',
            `upstream scheme "${scheme}" exchanges the caller's token, and this call has none`,
          );
        }
        // RFC 8693 §2.1: the subject token goes to the token endpoint only.
        params.set('grant_type', GRANT_TOKEN_EXCHANGE);
        params.set('subject_token', subject);
        params.set('subject_token_type', TOKEN_TYPE_ACCESS_TOKEN);
        params.set('requested_token_type', TOKEN_TYPE_ACCESS_TOKEN);
        // The cache is keyed by a hash: the caller's token is not kept as a key.
        key = `te\n${scheme}\n${createHash('sha256').update(subject).digest('base64url')}\n${scopes.join(' ')}`;
      }
      if (config.audience !== undefined) params.set('audience', config.audience);
      // RFC 8707 §2: the resource the token is for, so that it is not valid elsewhere.
      if (config.resource !== undefined) params.set('resource', config.resource);
      if (scopes.length > 0) params.set('scope', scopes.join(' '));

      const obtain = async (): Promise<CachedToken> => {
        const endpoint = await config.endpoint();
        const issued = await requestToken(endpoint, params, config.client, {
          ...http,
          scheme,
          tokenExchange: config.flow === 'token_exchange',
        });
        redactor.addToken(issued.accessToken);
        const until = refreshAt(now(), issued.expiresIn);
        // An exchanged token must not outlive the token it was exchanged for.
        const cap =
          config.flow === 'token_exchange' && context.subjectExpiresAt !== undefined
            ? context.subjectExpiresAt * 1000
            : Infinity;
        return { token: issued.accessToken, refreshAt: Math.min(until, cap) };
      };
      const entry = await cache.get(key, obtain, context.signal);
      return { token: entry.token, discard: () => cache.discard(key, entry.token) };
    },
  };
}

function flowConfig(
  name: string,
  def: Extract<SecuritySchemeDefinition, { type: 'oauth2' | 'openIdConnect' }>,
  env: CredentialEnv,
  baseUrl: string | undefined,
  http: { timeoutMs: number; maxBytes: number; fetch?: typeof fetch },
): FlowConfig | undefined {
  const v = (suffix: CredentialSuffix) => credentialVariable(def.env, suffix);
  const read = (suffix: CredentialSuffix) => {
    const value = Object.hasOwn(env, v(suffix)) ? env[v(suffix)]?.trim() : undefined;
    return value === undefined || value === '' ? undefined : value;
  };
  const exchange = read('TOKEN_EXCHANGE')?.toLowerCase();
  if (exchange !== undefined && exchange !== 'true' && exchange !== 'false') {
    throw new UpstreamError('invalid_credential', `${v('TOKEN_EXCHANGE')} must be true or false`);
  }
  const id = read('CLIENT_ID');
  const secret = read('CLIENT_SECRET');
  if ((id === undefined) !== (secret === undefined)) {
    throw new UpstreamError('invalid_credential', `${v('CLIENT_ID')} and ${v('CLIENT_SECRET')} must be set together`);
  }
  if (exchange === 'true') {
    if (read('ACCESS_TOKEN') !== undefined) {
      throw new UpstreamError(
        'invalid_credential',
        `${v('TOKEN_EXCHANGE')}=true and ${v('ACCESS_TOKEN')} exclude each other; unset one`,
      );
    }
    if (id === undefined) {
      throw new UpstreamError(
        'invalid_credential',
        `${v('TOKEN_EXCHANGE')}=true needs ${v('CLIENT_ID')} and ${v('CLIENT_SECRET')}`,
      );
    }
  } else if (id === undefined || read('ACCESS_TOKEN') !== undefined) {
    // A static token wins over client credentials.
    return undefined;
  }

  const configured = read('TOKEN_URL');
  let endpoint: () => Promise<URL>;
  if (configured !== undefined) {
    const url = parseTokenEndpointUrl(configured, baseUrl, v('TOKEN_URL'));
    endpoint = () => Promise.resolve(url);
  } else if (def.type === 'oauth2' && def.tokenUrl !== undefined) {
    const url = parseTokenEndpointUrl(
      def.tokenUrl,
      baseUrl,
      `the tokenUrl of scheme "${name}" (override with ${v('TOKEN_URL')})`,
    );
    endpoint = () => Promise.resolve(url);
  } else if (def.type === 'openIdConnect') {
    const discovery = parseTokenEndpointUrl(
      def.openIdConnectUrl,
      baseUrl,
      `the openIdConnectUrl of scheme "${name}" (override with ${v('TOKEN_URL')})`,
    );
    endpoint = discoverOnce(() => discoverTokenEndpoint(discovery, { ...http, scheme: name }));
  } else {
    throw new UpstreamError(
      'invalid_credential',
      `scheme "${name}" declares no client credentials tokenUrl; set ${v('TOKEN_URL')}`,
    );
  }

  const resource = read('RESOURCE');
  if (resource !== undefined && !isAbsoluteUriWithoutFragment(resource)) {
    throw new UpstreamError(
      'invalid_credential',
      `${v('RESOURCE')} must be an absolute URI without a fragment (RFC 8707 §2)`,
    );
  }
  const scopes = read('SCOPES')
    ?.split(/[\s,]+/)
    .filter(Boolean);
  const audience = read('AUDIENCE');
  return {
    flow: exchange === 'true' ? 'token_exchange' : 'client_credentials',
    client: { id: id, secret: secret! },
    endpoint,
    ...(scopes && scopes.length > 0 ? { scopes } : {}),
    ...(audience !== undefined ? { audience } : {}),
    ...(resource !== undefined ? { resource } : {}),
  };
}

/** Discovery runs once per scheme; a failure is not remembered, so the next call tries again. */
function discoverOnce(discover: () => Promise<URL>): () => Promise<URL> {
  let found: Promise<URL> | undefined;
  return () => {
    found ??= discover().catch((error: unknown) => {
      found = undefined;
      throw error;
    });
    return found;
  };
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  try {
    return new URL(value).hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}
