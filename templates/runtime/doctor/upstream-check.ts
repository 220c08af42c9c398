import { readText } from '../config/env-readers.js';
import { fetchBounded, FetchBoundedError } from '../http/fetch-bounded.js';
import { createUpstreamAuth, type UpstreamAuth } from '../http/upstream-auth.js';
import { credentialVariable, resolveUpstreamCredentials, type CredentialEnv } from '../http/upstream-credentials.js';
import { UpstreamError } from '../http/upstream-error.js';
import type { AppDefinition, SecurityRequirement } from '../mcp/types.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';

/** The upstream base URL as the server resolves it (UPSTREAM_BASE_URL, else the spec's first server), or a failed check. */
export function upstreamBaseUrl(app: AppDefinition, env: CredentialEnv): URL | DoctorCheck {
  const raw = readText(env, 'UPSTREAM_BASE_URL') ?? app.server.defaultBaseUrl;
  if (!raw)
    return fail(
      'upstream-url',
      'UPSTREAM_BASE_URL is not set and the OpenAPI document names no absolute server URL: set UPSTREAM_BASE_URL to the API base URL, e.g. https://api.example.com/v1',
    );
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // fall through
  }
  return fail('upstream-url', `UPSTREAM_BASE_URL "${raw}" is not an absolute http(s) URL`);
}

/**
 * One HEAD request to the base URL, without credentials and without
 * following redirects: any HTTP answer (404, 405 and 401 included) proves the
 * API is reachable from here; no answer within `timeoutMs` or a transport
 * error is a failure. Says nothing about whether calls will succeed.
 */
export async function checkUpstreamReachable(url: URL, timeoutMs: number): Promise<DoctorCheck> {
  try {
    // A HEAD answer has no body; the cap only guards against a server that sends one anyway.
    const response = await fetchBounded(url, { method: 'HEAD' }, { timeoutMs, maxBytes: 64 * 1024 });
    return ok('upstream-reachable', `${url.href} answered HTTP ${response.status}`);
  } catch (error) {
    if (!(error instanceof FetchBoundedError)) throw error;
    return fail(
      'upstream-reachable',
      `${url.href}: ${error.reason}: check UPSTREAM_BASE_URL and that this host can reach the API (DNS, firewall, proxy)`,
    );
  }
}

/**
 * Per security scheme the tools use: are its credentials set (the variable
 * names of `resolveUpstreamCredentials` and `createUpstreamAuth`)? A tool
 * none of whose alternatives is satisfied calls the API without credentials,
 * which fails. No token is fetched: the client credentials and token
 * exchange flows count as configured when their variables are set.
 */
export function checkUpstreamCredentials(
  app: AppDefinition,
  env: CredentialEnv,
  baseUrl: URL | undefined,
): Promise<DoctorCheck[]> {
  let auth: UpstreamAuth;
  try {
    auth = createUpstreamAuth(app.schemes, env, baseUrl ? { baseUrl: baseUrl.href } : {});
  } catch (error) {
    return Promise.resolve([
      fail(
        'upstream-credentials',
        error instanceof UpstreamError ? error.message : 'the upstream OAuth settings cannot be read',
      ),
    ]);
  }
  return credentialChecks(app, env, auth);
}

async function credentialChecks(app: AppDefinition, env: CredentialEnv, real: UpstreamAuth): Promise<DoctorCheck[]> {
  // Satisfiability only: a placeholder stands in for tokens the flows would fetch at call time.
  const auth: UpstreamAuth = {
    flowOf: real.flowOf,
    redactor: real.redactor,
    token: async () => ({ token: 'doctor', discard() {} }),
  };
  const context = { auth, subjectToken: 'doctor' };
  const used = [
    ...new Set(app.tools.flatMap((tool) => tool.security.flatMap((alt) => alt.map((req) => req.scheme)))),
  ].sort();
  const checks: DoctorCheck[] = [];
  for (const scheme of used) {
    const requirement: SecurityRequirement[] = [[{ scheme, scopes: [] }]];
    const result = await resolve(requirement, app, env, context);
    if (typeof result === 'string') checks.push(fail(`upstream-credentials:${scheme}`, result));
    else if (result.satisfied)
      checks.push(ok(`upstream-credentials:${scheme}`, `set (${describe(scheme, app, real)})`));
    else
      checks.push(
        warn(
          `upstream-credentials:${scheme}`,
          `not set: set ${result.missing.join(' or ') || 'nothing this server supports'}`,
        ),
      );
  }
  const stranded: string[] = [];
  const missing = new Set<string>();
  for (const tool of app.tools) {
    const result = await resolve(tool.security, app, env, context);
    if (typeof result !== 'string' && result.satisfied) continue;
    stranded.push(tool.name);
    if (typeof result !== 'string') for (const name of result.missing) missing.add(name);
  }
  if (stranded.length > 0) {
    checks.push(
      fail(
        'upstream-credentials',
        `${stranded.length} of ${app.tools.length} tool(s) have no upstream credentials (${stranded.slice(0, 5).join(', ')}${stranded.length > 5 ? ', ...' : ''}) and would call the API without them: ${missing.size > 0 ? `set ${[...missing].join(' or ')}` : 'fix the variables named above'}`,
      ),
    );
  } else if (used.length > 0) {
    checks.push(
      ok('upstream-credentials', `every tool has the upstream credentials one of its security alternatives needs`),
    );
  }
  return checks;
}

async function resolve(
  security: readonly SecurityRequirement[],
  app: AppDefinition,
  env: CredentialEnv,
  context: Parameters<typeof resolveUpstreamCredentials>[3],
) {
  try {
    return await resolveUpstreamCredentials(security, app.schemes, env, context);
  } catch (error) {
    // A value with CR/LF/NUL: the message names the variable, never the value.
    return error instanceof UpstreamError ? error.message : 'the credentials cannot be read';
  }
}

function describe(scheme: string, app: AppDefinition, auth: UpstreamAuth): string {
  const def = app.schemes[scheme];
  if (!def) return scheme;
  const flow = auth.flowOf(scheme);
  if (flow) return `${def.type}, ${flow.replace('_', ' ')} with ${credentialVariable(def.env, 'CLIENT_ID')}`;
  if (def.type === 'apiKey') return `apiKey in ${def.in} "${def.name}" from ${def.env}`;
  if (def.type === 'http')
    return def.scheme.toLowerCase() === 'basic'
      ? `basic from ${credentialVariable(def.env, 'USERNAME')}/_PASSWORD`
      : `bearer from ${def.env}`;
  return `static token from ${credentialVariable(def.env, 'ACCESS_TOKEN')}`;
}
