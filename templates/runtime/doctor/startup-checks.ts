import type { AppDefinition } from '../mcp/types.js';
import type { DoctorCheck } from './check.js';
import { checkPublicUrl } from './public-url-check.js';
import { checkUpstreamCredentials, upstreamBaseUrl } from './upstream-check.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The doctor's checks that need no network, run when the server starts and
 * logged as one JSON line per problem (`{"level":"warn"|"error","msg",
 * "check":"doctor:<id>"}`): MCP_PUBLIC_URL and the upstream credentials per
 * security scheme, so a server that would call the API without its key says
 * so at once. Issuer discovery and the JWKS are logged by the authorization
 * start-up check; the upstream is not probed (`npm run doctor` does that).
 * Changes nothing and never rejects.
 */
export async function logDeploymentChecksAtStartup(
  app: AppDefinition,
  env: Env,
  log: (line: string) => void,
): Promise<readonly DoctorCheck[]> {
  let checks: DoctorCheck[];
  try {
    const base = upstreamBaseUrl(app, env);
    checks = [
      checkPublicUrl(app, env).check,
      ...(await checkUpstreamCredentials(app, env, base instanceof URL ? base : undefined)),
    ];
  } catch {
    return [];
  }
  const problems = checks.filter((check) => check.status !== 'ok');
  for (const check of problems) {
    try {
      log(
        JSON.stringify({
          level: check.status === 'fail' ? 'error' : 'warn',
          msg: `${check.message} (npm run doctor checks the whole deployment)`,
          check: `doctor:${check.id}`,
        }),
      );
    } catch {
      // A broken log must not turn a check into a crash.
    }
  }
  return problems;
}
