import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import type { Configuration, IssuedToken, Provider } from 'oidc-provider';
import { ConfigError } from '../config/config-error.js';
import { isLoopback } from '../config/loopback.js';
import { consentPage, loginPage, readForm } from './interaction-pages.js';
import { createMemoryStore } from './memory-store.js';

export interface DevAuthorizationServerOptions {
  /** Loopback only: this server signs in anyone who asks. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The MCP server's canonical URL (RFC 8707 resource): the only audience tokens are issued for. */
  readonly resource: string;
  /** The scopes the MCP server's tools need (its `scopes_supported`). */
  readonly scopes: readonly string[];
  /** Roles offered on the login page (those the tools are guarded by). */
  readonly roles: readonly string[];
  /** Where roles go in access tokens: a dotted claim path, or one URL-shaped claim name. */
  readonly rolesClaimPath: string;
  /** A private signing JWK kept from an earlier run, so its tokens stay valid; generated when absent. */
  readonly signingKey?: JWK;
}

export interface DevAuthorizationServer {
  readonly issuer: string;
  /** The private signing key (ES256), for `npm run token` and the next run. */
  readonly signingKey: JWK;
  close(): Promise<void>;
}

/** Accounts signed in through the login page: a name the developer typed, and the roles they ticked. */
type Accounts = Map<string, readonly string[]>;

/**
 * A development OAuth 2.1 authorization server (oidc-provider) for `npm run dev`: dynamic client
 * registration (RFC 7591), authorization code with PKCE S256 only (RFC 7636), resource indicators
 * (RFC 8707) and RFC 9068 JWT access tokens whose audience is the MCP server. Its login page
 * lets the developer be any user with any of the server's roles, and its consent page shows the
 * scopes asked for, so an MCP client's own OAuth flow (MCP Inspector, Claude Code, VS Code)
 * completes locally with no identity provider. Never for production: it refuses non-loopback hosts.
 */
export async function startDevAuthorizationServer(
  options: DevAuthorizationServerOptions,
): Promise<DevAuthorizationServer> {
  if (!isLoopback(options.host)) {
    throw new ConfigError(
      `the development authorization server signs in anyone, so it only binds to loopback; HOST is "${options.host}". Use HOST=127.0.0.1.`,
    );
  }
  const { Provider: ProviderClass, InvalidTarget } = await loadOidcProvider();
  const signingKey = options.signingKey ?? (await newSigningKey());
  const accounts: Accounts = new Map();
  const server = createServer();
  await listen(server, options.port, options.host);
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const issuer = `http://${host}:${port}`;

  const configuration: Configuration = {
    adapter: createMemoryStore({ forgetRegisteredScope: true }),
    jwks: { keys: [{ ...signingKey }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // RFC 7591 §2: registration only accepts listed scopes, so the resource's scopes are listed too.
    scopes: ['openid', 'offline_access', ...options.scopes],
    claims: { openid: ['sub'] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== options.resource)
            throw new InvalidTarget(`this development server only issues tokens for ${options.resource}`);
          return {
            scope: options.scopes.join(' '),
            audience: options.resource,
            accessTokenTTL: 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => (accounts.has(sub) ? { accountId: sub, claims: () => ({ sub }) } : undefined),
    extraTokenClaims: (_ctx, token: IssuedToken) => rolesClaims(accounts, token, options.rolesClaimPath),
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 86_400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 86_400,
    },
    renderError: (ctx: { type: string; body: unknown }, out: unknown) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new ProviderClass(issuer, configuration);
  provider.on('server_error', (_ctx, error) =>
    process.stderr.write(`dev authorization server error: ${(error as Error).message}\n`),
  );
  const handle = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(provider, handle, accounts, options, req, res).catch((error: unknown) => {
      process.stderr.write(
        `dev authorization server error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('error');
    });
  });

  return {
    issuer,
    signingKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  provider: Provider,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  accounts: Accounts,
  options: DevAuthorizationServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  // RFC 8414 §3: MCP clients look for OAuth metadata first; it is the same document.
  if (path === '/.well-known/oauth-authorization-server') {
    req.url = '/.well-known/openid-configuration';
    handle(req, res);
    return;
  }
  const interaction = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/consent)?$/.exec(path);
  if (!interaction) {
    handle(req, res);
    return;
  }
  const details = await provider.interactionDetails(req, res);
  const action = interaction[2];
  if (req.method === 'GET' && action === undefined) {
    const html =
      details.prompt.name === 'login'
        ? loginPage({ uid: details.uid, clientName: clientName(details.params), roles: options.roles })
        : consentPage({
            uid: details.uid,
            clientName: clientName(details.params),
            scopes: requestedScopes(details.prompt.details.missingResourceScopes, options.resource),
          });
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    });
    res.end(html);
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const form = await readForm(req);
  if (action === '/login' && details.prompt.name === 'login') {
    const user = (form.get('user') ?? '').trim();
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(user)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('user: 1 to 64 letters, digits, ".", "_", "@" or "-"');
      return;
    }
    accounts.set(
      user,
      form.getAll('role').filter((role) => options.roles.includes(role)),
    );
    await provider.interactionFinished(req, res, { login: { accountId: user } }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === '/consent' && details.prompt.name === 'consent') {
    if (form.get('decision') !== 'allow') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the developer denied access' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const granted = new Set(form.getAll('scope'));
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId: details.session?.accountId ?? '', clientId: details.params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
    // openid and offline_access are protocol scopes, not permissions: granted with the consent.
    if (missingOIDCScope && missingOIDCScope.length > 0) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
      const yes = scopes.filter((scope) => granted.has(scope));
      const no = scopes.filter((scope) => !granted.has(scope));
      if (yes.length > 0) grant.addResourceScope(resource, yes.join(' '));
      // RFC 6749 §3.3: the server may issue fewer scopes than asked; unticked ones are left out.
      if (no.length > 0) grant.rejectResourceScope(resource, no.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.writeHead(400, { 'content-type': 'text/plain' }).end('this step does not match the interaction');
}

function rolesClaims(accounts: Accounts, token: IssuedToken, claimPath: string): Record<string, unknown> | undefined {
  const roles = token.accountId ? accounts.get(token.accountId) : undefined;
  if (!roles) return undefined;
  return claimAt(claimPath, [...roles]);
}

/** `{ "realm_access": { "roles": [...] } }` for a dotted path; a URL-shaped name (Auth0) is one claim. */
export function claimAt(path: string, value: unknown): Record<string, unknown> {
  if (path.includes('/')) return { [path]: value };
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

function requestedScopes(missing: Record<string, string[]> | undefined, resource: string): string[] {
  return [...(missing?.[resource] ?? [])].sort();
}

function clientName(params: Record<string, unknown>): string {
  return typeof params['client_id'] === 'string' ? params['client_id'] : 'an MCP client';
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  // A new kid per key: a resource server caching a JWKS must never match a stale key by id (RFC 7517 §4.5).
  return { ...(await exportJWK(privateKey)), kid: `dev-${randomUUID()}`, alg: 'ES256', use: 'sig' };
}

/** oidc-provider warns at import that Node 20 is not its LTS target (it works); that one line is dropped. */
export async function loadOidcProvider() {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime.')) return;
    warn(...args);
  };
  try {
    const module = await import('oidc-provider');
    return { Provider: module.default, InvalidTarget: module.errors.InvalidTarget };
  } finally {
    console.warn = warn;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
