import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import type { Configuration, IssuedToken, Provider } from 'oidc-provider';
import { loadOidcProvider } from '../../templates/runtime/dev/dev-authorization-server.js';
import { createMemoryStore } from '../../templates/runtime/dev/memory-store.js';
import { generateSigningKey, type SigningAlgorithm } from './authorization-server-keys.js';
import { autoConsent, type ConsentingAccount } from './auto-consent.js';

/** A protected resource the server issues tokens for (RFC 8707 resource indicator). */
export interface ResourceOptions {
  /** Scopes a token for this resource may carry; others are dropped from it. */
  scopes: readonly string[];
  /**
   * Default `jwt` (RFC 9068). `opaque` tokens are the only ones oidc-provider introspects
   * (RFC 7662); it answers `unsupported_token_type` for a JWT.
   */
  format?: 'jwt' | 'opaque';
}

export interface AccountOptions extends ConsentingAccount {
  /** Put into access tokens under `rolesClaim`. */
  roles?: readonly string[];
  /** Further claims put into this account's access tokens. */
  tokenClaims?: Record<string, unknown>;
}

/** A confidential client for the client credentials grant (RFC 6749 §4.4). */
export interface ConfidentialClientOptions {
  clientId: string;
  clientSecret?: string;
  roles?: readonly string[];
  tokenClaims?: Record<string, unknown>;
}

export interface AuthorizationServerOptions {
  resources: Record<string, ResourceOptions>;
  /** Resource a token is for when the request names none. */
  defaultResource?: string;
  /** Default: one client `service` with a random secret. */
  clients?: readonly ConfidentialClientOptions[];
  /** Default: `{ alice: {} }`. */
  accounts?: Record<string, AccountOptions>;
  /** The account the auto-consent interaction signs in. Default: the first one. */
  loginAccount?: string;
  /** Dotted path of the roles claim: `roles`, or Keycloak's `realm_access.roles`. Default `roles`. */
  rolesClaim?: string;
  /** Default RS256. */
  signingAlg?: SigningAlgorithm;
  /** Mount the issuer under a path, e.g. `/realms/test` (RFC 8414 §3.1 path insertion). */
  issuerPath?: string;
  /** Also serve RFC 8414 metadata at `/.well-known/oauth-authorization-server[path]`. Default true. */
  serveOAuthMetadata?: boolean;
  /**
   * Keep the `scope` a client registered with (RFC 7591 §2) as its allow-list, as oidc-provider
   * does: a later authorization request for any other listed scope then fails `invalid_scope`,
   * so step-up beyond the first challenge cannot succeed. Default false (forgotten).
   */
  enforceRegisteredScope?: boolean;
  /** Access token lifetime in seconds. Default 300. */
  accessTokenTtl?: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  refresh_token?: string;
}

export interface AuthorizationServer {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly tokenEndpoint: string;
  readonly registrationEndpoint: string;
  /** The confidential clients with their secrets, for client credentials. */
  readonly clients: readonly Required<Pick<ConfidentialClientOptions, 'clientId' | 'clientSecret'>>[];
  /** Client credentials grant for the first (or the named) confidential client. */
  clientCredentialsToken(request: { clientId?: string; scope: string; resource?: string }): Promise<TokenResponse>;
  /** RFC 7591 dynamic client registration; returns the registration response. */
  registerClient(metadata: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Add or replace a resource (e.g. one whose port is known only now). */
  setResource(url: string, resource: ResourceOptions): void;
  /** Add or replace an account (roles, grantable scopes) for later tokens. */
  setAccount(accountId: string, account: AccountOptions): void;
  /** Make the auto-consent interaction sign in this account from now on. */
  loginAs(accountId: string): void;
  /** Sign with a new key (new `kid`) from now on; earlier keys stay in the JWKS. */
  rotateKeys(): Promise<void>;
  /** Outage: stop answering (connections refused) until `restart()`; state is kept. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * oidc-provider 9 on 127.0.0.1 (random port) as a real OAuth 2.1 authorization server for tests:
 * JWT access tokens (RFC 9068) bound to one resource (RFC 8707), client credentials, dynamic
 * client registration (RFC 7591), PKCE S256 always (RFC 7636), introspection (RFC 7662), and an
 * auto-consent interaction instead of a login page.
 */
export async function startAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const { Provider, InvalidTarget } = await loadOidcProvider();
  const alg = options.signingAlg ?? 'RS256';
  const issuerPath = (options.issuerPath ?? '').replace(/\/+$/, '');
  const accounts = new Map(Object.entries(options.accounts ?? { alice: {} }));
  let loginAccount = options.loginAccount ?? [...accounts.keys()][0] ?? 'alice';
  const clients = (options.clients ?? [{ clientId: 'service' }]).map((client) => ({
    ...client,
    clientSecret: client.clientSecret ?? randomBytes(24).toString('base64url'),
  }));
  const rolesPath = (options.rolesClaim ?? 'roles').split('.');
  const store = createMemoryStore({ forgetRegisteredScope: options.enforceRegisteredScope !== true });
  const cookieKeys = [randomBytes(32).toString('base64url')];
  let keys: JWK[] = [await generateSigningKey(alg)];
  const resources = new Map(Object.entries(options.resources));

  const tokenClaims = (token: IssuedToken): Record<string, unknown> | undefined => {
    const subject = token.accountId
      ? accounts.get(token.accountId)
      : clients.find((client) => client.clientId === token.clientId);
    if (!subject) return undefined;
    const claims: Record<string, unknown> = { ...subject.tokenClaims };
    if (subject.roles) setPath(claims, rolesPath, [...subject.roles]);
    return claims;
  };

  const server = createServer();
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const issuer = `${origin}${issuerPath}`;

  const configuration = (): Configuration => ({
    adapter: store,
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: keys.map((key) => ({ ...key })) },
    cookies: { keys: cookieKeys },
    // Resource scopes are listed too: DCR (RFC 7591 §2 `scope`) only accepts listed scopes.
    scopes: ['openid', 'offline_access', ...new Set([...resources.values()].flatMap((resource) => resource.scopes))],
    claims: { openid: ['sub'] },
    // Without an RS256 key the client default (RS256 ID tokens) would make every client invalid.
    clientDefaults: { id_token_signed_response_alg: alg },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf ?? options.defaultResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          const resource = resources.get(indicator);
          if (!resource) throw new InvalidTarget('unknown resource');
          return {
            scope: resource.scopes.join(' '),
            audience: indicator,
            accessTokenTTL: options.accessTokenTtl ?? 300,
            ...(resource.format === 'opaque'
              ? { accessTokenFormat: 'opaque' as const }
              : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg } } }),
          };
        },
      },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx, sub) => (accounts.has(sub) ? { accountId: sub, claims: () => ({ sub }) } : undefined),
    extraTokenClaims: (_ctx, token) => tokenClaims(token),
    ttl: {
      AccessToken: options.accessTokenTtl ?? 300,
      AuthorizationCode: 60,
      ClientCredentials: options.accessTokenTtl ?? 300,
      Grant: 3600,
      IdToken: 300,
      Interaction: 300,
      RefreshToken: 3600,
      Session: 3600,
    },
    clientBasedCORS: () => false,
    renderError: (ctx: { type: string; body: unknown }, out: unknown) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  });

  const createProvider = (): Provider => {
    const provider = new Provider(issuer, configuration());
    // Real failures inside the provider must reach the test output.
    provider.on('server_error', (_ctx, error) => console.error('authorization server error:', error));
    return provider;
  };
  let provider = createProvider();
  let handle = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      console.error('authorization server harness error:', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const oauthMetadataPath = `/.well-known/oauth-authorization-server${issuerPath}`;
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === oauthMetadataPath && options.serveOAuthMetadata !== false) {
      const metadata = await fetch(`${issuer}/.well-known/openid-configuration`);
      res.writeHead(metadata.status, { 'content-type': 'application/json' }).end(await metadata.text());
      return;
    }
    if (issuerPath && url.pathname !== issuerPath && !url.pathname.startsWith(`${issuerPath}/`)) {
      res.writeHead(404).end();
      return;
    }
    const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname.slice(issuerPath.length));
    if (interaction && req.method === 'GET') {
      const account = accounts.get(loginAccount) ?? {};
      await autoConsent(provider, req, res, loginAccount, account);
      return;
    }
    // oidc-provider derives its mount path from originalUrl vs url (express-style mounting).
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
    req.url = req.url!.slice(issuerPath.length) || '/';
    handle(req, res);
  }

  const endpoint = (path: string) => `${issuer}${path}`;
  let stopped = false;
  return {
    issuer,
    jwksUri: endpoint('/jwks'),
    tokenEndpoint: endpoint('/token'),
    registrationEndpoint: endpoint('/reg'),
    clients: clients.map(({ clientId, clientSecret }) => ({ clientId, clientSecret })),
    async clientCredentialsToken({ clientId, scope, resource }) {
      const client = clientId === undefined ? clients[0] : clients.find((entry) => entry.clientId === clientId);
      if (!client) throw new Error(`no confidential client ${clientId ?? ''}`);
      const body = new URLSearchParams({ grant_type: 'client_credentials', scope });
      if (resource !== undefined) body.set('resource', resource);
      const basic = Buffer.from(
        `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`,
      ).toString('base64');
      const response = await fetch(endpoint('/token'), {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      const json = (await response.json()) as TokenResponse & { error?: string; error_description?: string };
      if (!response.ok)
        throw new Error(`token request failed: ${json.error ?? response.status} ${json.error_description ?? ''}`);
      return json;
    },
    async registerClient(metadata) {
      const response = await fetch(endpoint('/reg'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(metadata),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (!response.ok)
        throw new Error(`registration failed: ${String(json.error)} ${String(json.error_description ?? '')}`);
      return json;
    },
    setResource(url, resource) {
      resources.set(url, resource);
      // The scope list is fixed per Provider instance; state lives in the store and survives.
      provider = createProvider();
      handle = provider.callback();
    },
    setAccount(accountId, account) {
      accounts.set(accountId, account);
    },
    loginAs(accountId) {
      if (!accounts.has(accountId)) throw new Error(`no account ${accountId}`);
      loginAccount = accountId;
    },
    async rotateKeys() {
      keys = [await generateSigningKey(alg), ...keys];
      provider = createProvider();
      handle = provider.callback();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await closeServer(server);
    },
    async restart() {
      if (!stopped) return;
      await listen(server, port);
      stopped = false;
    },
    async close() {
      if (!stopped) await closeServer(server);
      stopped = true;
    },
  };
}

async function introspectionAllowed(
  ctx: { oidc: { client: { clientId: string } } },
  client: { clientAuthMethod: string },
  token: { clientId?: string },
): Promise<boolean> {
  // RFC 7662 §4: a public client may only introspect its own tokens.
  return client.clientAuthMethod !== 'none' || token.clientId === ctx.oidc.client.clientId;
}

async function revocationAllowed(
  _ctx: unknown,
  client: { clientId: string },
  token: { clientId?: string },
): Promise<boolean> {
  // RFC 7009 §2.1: a client revokes only tokens issued to it.
  return token.clientId === client.clientId;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ??= {}) as Record<string, unknown>;
  setPath(child, rest, value);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
