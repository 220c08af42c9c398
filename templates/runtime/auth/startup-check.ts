import type { ToolDefinition } from '../mcp/types.js';
import type { AuthSettings, OAuthSettings } from './auth-config.js';
import { checkKeySet, discoverForCheck, discoveryNeeded, missingIntrospectionEndpoint } from './issuer-checks.js';

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
  const needed = discoveryNeeded(settings);
  const discovered = await discoverForCheck(settings, timeoutMs);
  const metadata = 'metadata' in discovered ? discovered.metadata : undefined;
  if ('cause' in discovered) {
    report(
      needed ? 'error' : 'warn',
      needed
        ? `authorization server check: ${discovered.cause}; every authenticated request is answered 503 until this works`
        : `authorization server check: ${discovered.cause}; clients that discover the authorization server will fail`,
    );
    if (needed) return;
  }
  const noIntrospection = metadata && missingIntrospectionEndpoint(settings, metadata);
  if (noIntrospection) report('error', `authorization server check: ${noIntrospection}; set OAUTH_INTROSPECTION_URL`);
  const jwksUri = settings.jwksUri ?? metadata?.jwksUri;
  if (!jwksUri) {
    report(
      'error',
      `authorization server check: the metadata of issuer "${settings.issuer}" has no jwks_uri; set OAUTH_JWKS_URI`,
    );
    return;
  }
  const keys = await checkKeySet(settings, jwksUri, timeoutMs);
  if (!keys.ok) {
    const cause = keys.kind === 'unreachable' ? keys.problem : `JWKS at ${jwksUri.href}: ${keys.problem}`;
    report('error', `authorization server check: ${cause}; JWT requests are answered 503 until this works`);
  } else report('info', `authorization server check passed: issuer "${settings.issuer}", JWKS at ${jwksUri.href}`);
}
