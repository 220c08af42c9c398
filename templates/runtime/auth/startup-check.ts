import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, type JWK } from 'jose';
import type { ToolDefinition } from '../mcp/types.js';
import { MIN_RSA_BITS, type AuthSettings, type OAuthSettings } from './auth-config.js';
import { AuthError } from './auth-error.js';
import { fetchFromAuthServer } from './fetch-from-auth-server.js';
import { jsonObject } from '../http/fetch-bounded.js';
import { discoverIssuerMetadata, type IssuerMetadata } from './issuer-metadata.js';

export interface StartupCheckOptions {
  /** Where the findings go, one JSON line each (the server's log). */
  readonly log: (line: string) => void;
  /** For the roles warning: tools guarded by roles. */
  readonly tools?: readonly Pick<ToolDefinition, 'name' | 'access'>[];
  /** OAUTH_ROLES_CLAIM or the generated default; absent: tokens carry no roles. */
  readonly rolesClaim?: string;
  readonly timeoutMs?: number;
}

export interface StartupFinding {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
}

/**
 * Runs once at start-up, in the background, what the first request would
 * otherwise be the first to find out: issuer discovery (RFC 8414 §3.3 /
 * OpenID Connect Discovery §4.3, exact issuer match) and the JWKS fetch, and
 * whether tools guarded by roles can be reached at all. Each finding is logged
 * with its precise cause. It changes nothing: the verifiers keep failing
 * closed (503) and retrying on their own, so the server neither serves
 * without a working issuer nor crash-loops while the issuer is down. Never
 * rejects. Does not check tokens, scopes or the protected resource metadata.
 */
export async function checkAuthorizationAtStartup(
  settings: AuthSettings,
  options: StartupCheckOptions,
): Promise<readonly StartupFinding[]> {
  const findings: StartupFinding[] = [];
  const report = (level: StartupFinding['level'], msg: string) => {
    findings.push({ level, msg });
    try {
      options.log(JSON.stringify({ level, msg, check: 'authorization-startup' }));
    } catch {
      // A broken log must not turn a check into a crash.
    }
  };
  try {
    rolesWithoutClaim(settings, options, report);
    if (settings.mode === 'oauth') await checkIssuer(settings, options.timeoutMs ?? 5000, report);
  } catch (error) {
    report('error', `authorization start-up check failed unexpectedly (${(error as Error)?.name ?? 'error'})`);
  }
  return findings;
}

type Report = (level: StartupFinding['level'], msg: string) => void;

/** Tools that need a role while tokens carry none are unreachable for everyone (API keys carry their own roles). */
function rolesWithoutClaim(settings: AuthSettings, options: StartupCheckOptions, report: Report): void {
  if (settings.mode !== 'oauth' || options.rolesClaim) return;
  const guarded = (options.tools ?? []).filter((tool) => (tool.access.roles?.length ?? 0) > 0);
  if (guarded.length === 0) return;
  const names = guarded
    .slice(0, 5)
    .map((tool) => tool.name)
    .join(', ');
  report(
    'warn',
    `${guarded.length} tool(s) require a role (${names}${guarded.length > 5 ? ', ...' : ''}) but no roles claim is configured, so no caller can use them: set OAUTH_ROLES_CLAIM (e.g. roles, realm_access.roles, groups)`,
  );
}

async function checkIssuer(settings: OAuthSettings, timeoutMs: number, report: Report): Promise<void> {
  // A static key means no network: nothing to discover or fetch.
  if (settings.publicKey) return;
  // Discovery is needed for the JWKS unless OAUTH_JWKS_URI is set, and for introspection without a URL.
  const needed =
    !settings.jwksUri || (settings.introspection !== undefined && settings.introspection.url === undefined);
  let metadata: IssuerMetadata | undefined;
  try {
    metadata = await discoverIssuerMetadata(settings.issuer, {
      timeoutMs,
      allowInsecureHttp: settings.allowInsecureHttp,
    });
  } catch (error) {
    const cause = error instanceof AuthError ? error.message : 'discovery failed';
    report(
      needed ? 'error' : 'warn',
      needed
        ? `authorization server check: ${cause}; every authenticated request is answered 503 until this works`
        : `authorization server check: ${cause}; clients that discover the authorization server will fail`,
    );
    if (needed) return;
  }
  if (settings.introspection && !settings.introspection.url && metadata && !metadata.introspectionEndpoint) {
    report(
      'error',
      `authorization server check: the metadata of issuer "${settings.issuer}" has no introspection_endpoint; set OAUTH_INTROSPECTION_URL`,
    );
  }
  const jwksUri = settings.jwksUri ?? metadata?.jwksUri;
  if (!jwksUri) {
    report(
      'error',
      `authorization server check: the metadata of issuer "${settings.issuer}" has no jwks_uri; set OAUTH_JWKS_URI`,
    );
    return;
  }
  const problem = await checkJwks(jwksUri, timeoutMs);
  if (problem)
    report(
      'error',
      `authorization server check: JWKS at ${jwksUri.href}: ${problem}; JWT requests are answered 503 until this works`,
    );
  else report('info', `authorization server check passed: issuer "${settings.issuer}", JWKS at ${jwksUri.href}`);
}

/** What is wrong with the key set, or `undefined` when every key is usable. */
async function checkJwks(url: URL, timeoutMs: number): Promise<string | undefined> {
  let response;
  try {
    response = await fetchFromAuthServer(
      'JWKS',
      url,
      { headers: { accept: 'application/json' } },
      { timeoutMs, maxBytes: 256 * 1024 },
    );
  } catch (error) {
    return error instanceof AuthError ? error.message.replace(/^JWKS at \S+: /, '') : 'fetch failed';
  }
  if (response.status !== 200) return `HTTP ${response.status}`;
  const document = jsonObject(response.body);
  if (!document || !Array.isArray(document.keys)) return 'not a JSON Web Key Set';
  const keys = document.keys as unknown[];
  if (keys.length === 0) return 'the set has no keys';
  const kids = keys.map((key) => (isObject(key) ? key.kid : undefined)).filter((kid) => typeof kid === 'string');
  const repeated = kids.find((kid, index) => kids.indexOf(kid) !== index);
  if (repeated !== undefined)
    return `kid ${JSON.stringify(repeated)} appears more than once; kid values must be unique (RFC 7517 §4.5)`;
  try {
    createLocalJWKSet(document as unknown as JSONWebKeySet);
  } catch {
    return 'not a usable JSON Web Key Set';
  }
  for (const [index, key] of keys.entries()) {
    const problem = keyProblem(key as JWK);
    if (problem)
      return `key ${typeof (key as JWK).kid === 'string' ? JSON.stringify((key as JWK).kid) : `#${index}`} ${problem}`;
  }
  return undefined;
}

function keyProblem(jwk: JWK): string | undefined {
  if (!isObject(jwk) || typeof jwk.kty !== 'string') return 'is not a JWK';
  if (jwk.kty === 'oct') return 'is a symmetric key';
  if ('d' in jwk) return 'is a private key';
  // Encryption keys and key types this server does not verify with are never selected: not a problem.
  if ((jwk.use !== undefined && jwk.use !== 'sig') || !['RSA', 'EC', 'OKP'].includes(jwk.kty)) return undefined;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (bits !== undefined && bits < MIN_RSA_BITS)
      return `is RSA with ${bits} bits; at least ${MIN_RSA_BITS} are needed (RFC 7518 §3.3)`;
  } catch {
    return 'cannot be imported';
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
