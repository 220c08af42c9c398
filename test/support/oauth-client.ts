import { randomBytes } from 'node:crypto';
import {
  Client,
  ClientCredentialsProvider,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { decodeJwt, type JWTPayload } from 'jose';
import { followAuthorization } from './follow-authorization.js';

/** One authorization request the SDK sent the user agent to (what it asked for). */
export interface AuthorizationRequestRecord {
  scope: string | null;
  resource: string | null;
  /** The callback query came back with `error` instead of `code`. */
  error: string | null;
}

export interface HeadlessOAuthOptions {
  /** Never fetched; the flow stops when a redirect points here. Loopback per RFC 8252 §7.3. */
  redirectUrl?: string;
  clientName?: string;
  /** Pre-registered client (skips dynamic registration). */
  clientInformation?: StoredOAuthClientInformation;
  /** Plays the browser for one authorization request; default `followAuthorization` (redirects only). */
  userAgent?: (authorizationUrl: URL, redirectUri: string) => Promise<URLSearchParams>;
}

/**
 * An `OAuthClientProvider` (MCP SDK 2.4.0) for tests: client information, tokens, PKCE verifier
 * and discovery state live in memory, and `redirectToAuthorization` plays the browser itself
 * (see `followAuthorization`), leaving the callback for `finishAuth`. The SDK still returns
 * `REDIRECT` from `auth()` and its transport throws `UnauthorizedError` after every
 * authorization request; `connectWithOAuth` completes that dance.
 */
export class HeadlessOAuthClientProvider implements OAuthClientProvider {
  readonly authorizationRequests: AuthorizationRequestRecord[] = [];
  private readonly redirect: string;
  private readonly name: string;
  private client: StoredOAuthClientInformation | undefined;
  private stored: StoredOAuthTokens | undefined;
  private verifier: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private expectedState: string | undefined;
  private callback: URLSearchParams | undefined;
  private readonly userAgent: (authorizationUrl: URL, redirectUri: string) => Promise<URLSearchParams>;

  constructor(options: HeadlessOAuthOptions = {}) {
    this.redirect = options.redirectUrl ?? 'http://127.0.0.1/oauth/callback';
    this.name = options.clientName ?? 'openapi-to-mcp test client';
    this.client = options.clientInformation;
    this.userAgent = options.userAgent ?? ((url, redirectUri) => followAuthorization(url, redirectUri));
  }

  get redirectUrl(): string {
    return this.redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [this.redirect],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.client;
  }

  saveClientInformation(info: StoredOAuthClientInformation): void {
    this.client = info;
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.stored;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.stored = tokens;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no PKCE code verifier saved');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.client = undefined;
    if (scope === 'all' || scope === 'tokens') this.stored = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const callback = await this.userAgent(authorizationUrl, this.redirect);
    this.authorizationRequests.push({
      scope: authorizationUrl.searchParams.get('scope'),
      resource: authorizationUrl.searchParams.get('resource'),
      error: callback.get('error'),
    });
    // RFC 6749 §10.12: the SDK leaves `state` to the host.
    if (callback.get('state') !== this.expectedState) throw new Error('authorization callback state does not match');
    this.callback = callback;
  }

  /** The callback of the last authorization request, once (RFC 9207 `iss` included). */
  takeCallback(): URLSearchParams | undefined {
    const callback = this.callback;
    this.callback = undefined;
    return callback;
  }

  /** Claims of the current access token, decoded without verification (tests verify separately). */
  accessTokenClaims(): JWTPayload | undefined {
    return this.stored ? decodeJwt(this.stored.access_token) : undefined;
  }
}

export interface ConnectWithOAuthOptions extends HeadlessOAuthOptions {
  /** Reuse a provider (its registration and tokens) across connections. */
  provider?: HeadlessOAuthClientProvider;
  /** Pin the protocol revision (e.g. `2026-07-28`); default is the SDK's legacy 2025-11-25 handshake. */
  protocolVersion?: string;
  /** SDK reaction to `403 insufficient_scope`; default (SDK) `reauthorize`. */
  onInsufficientScope?: 'reauthorize' | 'throw';
}

export interface OAuthConnection<P extends OAuthClientProvider = HeadlessOAuthClientProvider> {
  client: Client;
  transport: StreamableHTTPClientTransport;
  provider: P;
  /**
   * Runs `request`; if the SDK started an authorization request meanwhile (a 401, or its own
   * step-up after `403 insufficient_scope`) and so threw `UnauthorizedError`, redeems the
   * captured code with `transport.finishAuth` and runs `request` once more.
   */
  authorized<T>(request: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Connects the real SDK client to `mcpUrl` through the whole OAuth flow the server asks for
 * (MCP 2025-11-25 "Authorization": 401 -> RFC 9728 -> RFC 8414 -> RFC 7591 -> code + PKCE with
 * RFC 8707 `resource`), then reconnects with the token.
 */
export async function connectWithOAuth(
  mcpUrl: string | URL,
  options: ConnectWithOAuthOptions = {},
): Promise<OAuthConnection> {
  const provider = options.provider ?? new HeadlessOAuthClientProvider(options);
  const url = new URL(mcpUrl);
  const newTransport = () =>
    new StreamableHTTPClientTransport(url, {
      authProvider: provider,
      ...(options.onInsufficientScope ? { onInsufficientScope: options.onInsufficientScope } : {}),
    });
  let transport = newTransport();
  let client = newClient(options.protocolVersion);
  try {
    await client.connect(transport);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await redeem(provider, transport);
    // A Client whose connect failed is not reusable: start over with the token in the provider.
    await transport.close().catch(() => undefined);
    transport = newTransport();
    client = newClient(options.protocolVersion);
    await client.connect(transport);
  }

  return {
    client,
    transport,
    provider,
    async authorized(request) {
      try {
        return await request();
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        await redeem(provider, transport);
        return request();
      }
    },
    close: () => client.close(),
  };
}

async function redeem(provider: HeadlessOAuthClientProvider, transport: StreamableHTTPClientTransport): Promise<void> {
  const callback = provider.takeCallback();
  if (!callback) throw new Error('unauthorized, and no authorization callback to redeem');
  if (!callback.has('code')) throw new Error(`authorization refused: ${callback.get('error') ?? 'no code'}`);
  await transport.finishAuth(callback);
}

/**
 * The SDK's own machine-to-machine provider (client credentials, `client_secret_basic`), bound
 * to `issuer` so the secret never goes to another authorization server (SEP-2352).
 */
export function clientCredentialsProvider(options: {
  clientId: string;
  clientSecret: string;
  issuer: string;
  scope?: string;
}): ClientCredentialsProvider {
  return new ClientCredentialsProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    expectedIssuer: options.issuer,
    ...(options.scope ? { scope: options.scope } : {}),
  });
}

/**
 * Connects the SDK client as a machine client: on the 401 the transport runs `auth()`
 * non-interactively (RFC 6749 §4.4 with RFC 8707 `resource`) and retries by itself; on a
 * `403 insufficient_scope` it fetches a token for the wider scope and retries, also by itself.
 */
export async function connectWithClientCredentials(
  mcpUrl: string | URL,
  options: { clientId: string; clientSecret: string; issuer: string; scope?: string; protocolVersion?: string },
): Promise<Omit<OAuthConnection<ClientCredentialsProvider>, 'authorized'>> {
  const provider = clientCredentialsProvider(options);
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = newClient(options.protocolVersion);
  await client.connect(transport);
  return { client, transport, provider, close: () => client.close() };
}

function newClient(protocolVersion: string | undefined): Client {
  return new Client(
    { name: 'openapi-to-mcp-test', version: '0.0.0' },
    protocolVersion ? { versionNegotiation: { mode: { pin: protocolVersion } } } : {},
  );
}
