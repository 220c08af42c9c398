import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { loadAuthConfig, type AuthSettings } from '../auth/auth-config.js';
import { guardKeySelection } from '../auth/key-selection.js';
import { ConfigError } from '../config/config-error.js';
import { readText } from '../config/env-readers.js';
import { ENV_VARS } from '../config/env-table.js';
import { isLoopback } from '../config/loopback.js';
import { loadConfig } from '../server/config.js';
import type { AppDefinition } from '../mcp/types.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';
import { checkIssuer } from './issuer-check.js';
import { checkJwks } from './jwks-check.js';
import { checkPublicUrl } from './public-url-check.js';
import { checkToken, type TokenSummary } from './token-check.js';
import { checkUpstreamCredentials, checkUpstreamReachable, upstreamBaseUrl } from './upstream-check.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface DiagnoseOptions {
  /** A sample access token to inspect; never printed. */
  readonly token?: string;
  /** Per network request (metadata, JWKS, upstream); default 5000. */
  readonly timeoutMs?: number;
  /** Milliseconds since the epoch; for tests. */
  readonly now?: () => number;
}

export interface Diagnosis {
  readonly checks: readonly DoctorCheck[];
  readonly token?: TokenSummary;
}

/**
 * Everything a deployment of this server needs, checked from `env` as the
 * server would read it: the public URL, the authorization configuration
 * (issuer discovery, JWKS, audience, roles claim, a sample token when given)
 * and the upstream (reachable, credentials per security scheme). Only reads:
 * it sends the issuer and the upstream one request each, and never a secret.
 * Does not start the server or check the user's policy.
 */
export async function diagnose(app: AppDefinition, env: Env, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  const { check: publicUrlCheck, publicUrl } = checkPublicUrl(app, env);
  const checks: DoctorCheck[] = [publicUrlCheck, ...serverConfig(app, env)];
  const transport = readText(env, 'MCP_TRANSPORT') ?? app.server.defaultTransport ?? ENV_VARS.MCP_TRANSPORT.default;
  let token: TokenSummary | undefined;
  if (transport === 'stdio') {
    checks.push(
      ok(
        'authorization',
        'stdio: the local user is trusted, OAuth does not apply (MCP authorization §1.2); MCP_ROLES sets its roles',
      ),
    );
    if (options.token !== undefined)
      checks.push(warn('token', 'a sample token is only checked for MCP_TRANSPORT=http'));
  } else {
    const auth = await authorizationChecks(app, env, publicUrl, options.token, timeoutMs, now());
    checks.push(...auth.checks);
    token = auth.token;
  }
  const base = upstreamBaseUrl(app, env);
  if (base instanceof URL) checks.push(await checkUpstreamReachable(base, timeoutMs));
  else checks.push(base);
  checks.push(...(await checkUpstreamCredentials(app, env, base instanceof URL ? base : undefined)));
  return { checks, ...(token ? { token } : {}) };
}

async function authorizationChecks(
  app: AppDefinition,
  env: Env,
  publicUrl: URL | undefined,
  sample: string | undefined,
  timeoutMs: number,
  now: number,
): Promise<{ checks: DoctorCheck[]; token?: TokenSummary }> {
  let settings: AuthSettings;
  try {
    // Without a usable public URL the audience default is unknown; a placeholder keeps the other checks going.
    settings = loadAuthConfig(env, publicUrl ?? new URL(NO_PUBLIC_URL));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { checks: [fail('authorization', error.message)] };
  }
  const noToken =
    sample === undefined
      ? []
      : [warn('token', `a sample token is only checked with MCP_AUTH=oauth (it is ${settings.mode})`)];
  if (settings.mode === 'none') {
    const host = readText(env, 'HOST') ?? ENV_VARS.HOST.default;
    return {
      checks: [
        isLoopback(host.replace(/^\[|\]$/g, ''))
          ? warn(
              'authorization',
              'MCP_AUTH=none: every tool is open to anyone who can connect (loopback, local development only); set MCP_AUTH=oauth and OAUTH_ISSUER to deploy',
            )
          : fail(
              'authorization',
              `MCP_AUTH=none with HOST=${host}: the server refuses to start off loopback without authorization; set MCP_AUTH=oauth and OAUTH_ISSUER`,
            ),
        ...noToken,
      ],
    };
  }
  if (settings.mode === 'api-key') {
    return {
      checks: [
        ok('authorization', `MCP_AUTH=api-key: ${settings.keys.length} key(s) from ${settings.keysFile}`),
        ...noToken,
      ],
    };
  }
  const rolesClaim = readText(env, 'OAUTH_ROLES_CLAIM') || app.authorization.rolesClaim;
  const checks: DoctorCheck[] = [
    ok(
      'authorization',
      `OAuth: issuer "${settings.issuer}", tokens must carry aud ${settings.audiences.map((a) => `"${a}"`).join(' or ')}`,
    ),
  ];
  if (publicUrl && !settings.audiences.includes(publicUrl.href)) {
    checks.push(
      warn(
        'audience',
        `OAUTH_AUDIENCE does not include MCP_PUBLIC_URL ${publicUrl.href}: MCP clients ask for tokens with resource=${publicUrl.href} (RFC 8707), so the authorization server must map that resource to ${settings.audiences.join(', ')}; otherwise unset OAUTH_AUDIENCE`,
      ),
    );
  }
  const guarded = app.tools.filter((tool) => (tool.access.roles?.length ?? 0) > 0);
  if (guarded.length > 0 && !rolesClaim) {
    checks.push(
      warn(
        'roles-claim',
        `${guarded.length} tool(s) need a role (${guarded
          .slice(0, 5)
          .map((t) => t.name)
          .join(
            ', ',
          )}${guarded.length > 5 ? ', ...' : ''}) but no roles claim is configured, so no caller can use them: set OAUTH_ROLES_CLAIM (keycloak, entra, okta, cognito, auth0:<namespace> or a claim path)`,
      ),
    );
  }
  const issuer = await checkIssuer(settings, timeoutMs);
  checks.push(...issuer.checks);
  let getKey: JWTVerifyGetKey | undefined;
  if (!settings.publicKey) {
    const jwksUri = settings.jwksUri ?? issuer.metadata?.jwksUri;
    if (jwksUri) {
      const jwks = await checkJwks(settings, jwksUri, timeoutMs);
      checks.push(jwks.check);
      getKey = jwks.getKey;
    } else if (issuer.metadata) {
      checks.push(fail('jwks', `the metadata of issuer "${settings.issuer}" has no jwks_uri: set OAUTH_JWKS_URI`));
    }
  } else {
    checks.push(ok('jwks', 'OAUTH_PUBLIC_KEY: tokens are verified with the static key'));
    if (settings.publicKey.kind === 'jwks') {
      getKey = guardKeySelection(createLocalJWKSet(settings.publicKey.jwks), {
        issuer: settings.issuer,
        retryAfterSeconds: 5,
      });
    }
  }
  if (sample !== undefined) {
    const inspected = await checkToken(sample, app, settings, {
      ...(getKey ? { getKey } : {}),
      ...(rolesClaim ? { rolesClaim } : {}),
      timeoutMs,
      now,
    });
    checks.push(...inspected.checks);
    if (inspected.summary) return { checks: checks.map(withoutPlaceholder), token: inspected.summary };
  }
  return { checks: checks.map(withoutPlaceholder) };
}

/** Stands in for an unusable MCP_PUBLIC_URL so that the other checks still run; never shown. */
const NO_PUBLIC_URL = 'https://mcp-public-url.invalid/mcp';

function withoutPlaceholder(check: DoctorCheck): DoctorCheck {
  return check.message.includes(NO_PUBLIC_URL)
    ? {
        ...check,
        message: check.message
          .replaceAll(`"${NO_PUBLIC_URL}"`, NO_PUBLIC_URL)
          .replaceAll(NO_PUBLIC_URL, '<MCP_PUBLIC_URL, which is not usable>'),
      }
    : check;
}

/**
 * Whatever else would stop the server at start-up (`loadConfig`: MCP_TRANSPORT,
 * PORT, limits...); MCP_PUBLIC_URL and UPSTREAM_BASE_URL have their own checks.
 */
function serverConfig(app: AppDefinition, env: Env): DoctorCheck[] {
  try {
    loadConfig(app, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Problems the public-URL and upstream checks already report, in their own words.
    if (/^(MCP_PUBLIC_URL|UPSTREAM_BASE_URL)\b/.test(error.message) || /MCP_PUBLIC_URL is not set/.test(error.message))
      return [];
    return [fail('server-config', `${error.message} The server refuses to start.`)];
  }
}
