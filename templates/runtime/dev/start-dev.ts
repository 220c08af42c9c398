import { createServer } from 'node:net';
import { ConfigError } from '../config/config-error.js';
import { loadDotEnv } from '../config/dotenv.js';
import { readInteger, readText } from '../config/env-readers.js';
import { ENV_VARS } from '../config/env-table.js';
import { closeOnSignals, withConfigErrors } from '../config/process-lifecycle.js';
import { isLoopback } from '../config/loopback.js';
import type { AppDefinition } from '../mcp/types.js';
import type { Policy } from '../rbac/policy-types.js';
import { roleClaimPath } from '../rbac/roles.js';
import { startHttp } from '../server/main.js';
import { startDevAuthorizationServer } from './dev-authorization-server.js';
import { DEV_STATE_FILE, readDevState, writeDevState } from './dev-state.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface DevOptions {
  readonly policy?: Policy;
  readonly log?: (line: string) => void;
  /** Where the issuer and signing key are kept for `npm run token`; default under node_modules/.cache. */
  readonly stateFile?: string;
}

export interface RunningDev {
  /** The MCP endpoint to point a client at. */
  readonly mcpUrl: string;
  readonly issuer: string;
  /** The roles the login page offers. */
  readonly roles: readonly string[];
  close(): Promise<void>;
}

/**
 * `npm run dev`: the generated server over HTTP as a real OAuth 2.1 resource server, together
 * with a development authorization server, both on loopback. Everything else (upstream base URL
 * and credentials, tool mode...) comes from the environment as for `npm start`; the
 * authorization settings are this function's. HOST, PORT and DEV_AUTH_PORT choose where they
 * listen (PORT=0: free ports).
 */
export async function startDev(app: AppDefinition, env: Env, options: DevOptions = {}): Promise<RunningDev> {
  const host = readText(env, 'HOST') ?? ENV_VARS.HOST.default;
  if (!isLoopback(host)) {
    throw new ConfigError(
      `npm run dev signs in anyone, so it only binds to loopback; HOST is "${host}". Unset HOST or use HOST=127.0.0.1.`,
    );
  }
  const mcpPort = await portFor(readInteger(env, 'PORT', app.server.defaultPort), host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const mcpUrl = `http://${urlHost}:${mcpPort}/mcp`;
  const authPort = readText(env, 'DEV_AUTH_PORT')
    ? await portFor(readInteger(env, 'DEV_AUTH_PORT'), host)
    : readText(env, 'PORT') === '0'
      ? 0
      : mcpPort + 1;
  const rolesClaim = readText(env, 'OAUTH_ROLES_CLAIM') || app.authorization.rolesClaim || 'roles';
  const rolesClaimPath = roleClaimPath(rolesClaim);
  const stateFile = options.stateFile ?? DEV_STATE_FILE;
  const previous = readDevState(stateFile);
  const roles = [...new Set(app.tools.flatMap((tool) => tool.access.roles ?? []))].sort();

  const authorizationServer = await startDevAuthorizationServer({
    host,
    port: authPort,
    resource: mcpUrl,
    scopes: app.authorization.scopesSupported,
    roles,
    rolesClaimPath,
    ...(previous ? { signingKey: previous.signingKey } : {}),
  });
  writeDevState(
    {
      issuer: authorizationServer.issuer,
      resource: mcpUrl,
      rolesClaimPath,
      signingKey: authorizationServer.signingKey,
    },
    stateFile,
  );
  try {
    const mcp = await startHttp(
      app,
      {
        ...env,
        MCP_TRANSPORT: 'http',
        MCP_AUTH: 'oauth',
        HOST: host,
        PORT: String(mcpPort),
        MCP_PUBLIC_URL: mcpUrl,
        OAUTH_ISSUER: authorizationServer.issuer,
        OAUTH_ROLES_CLAIM: rolesClaim,
      },
      { ...(options.policy ? { policy: options.policy } : {}), ...(options.log ? { log: options.log } : {}) },
    );
    return {
      mcpUrl,
      issuer: authorizationServer.issuer,
      roles,
      close: async () => {
        await mcp.close();
        await authorizationServer.close();
      },
    };
  } catch (error) {
    await authorizationServer.close();
    throw error;
  }
}

/** The entry of `npm run dev` in a generated project: `.env`, then both servers, then how to connect. */
export async function runDev(app: AppDefinition, options: DevOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const loaded = loadDotEnv();
  if (loaded.length > 0) log(`loaded .env: ${loaded.join(', ')}`);
  await withConfigErrors(log, async () => {
    const running = await startDev(app, process.env, { ...options, log });
    const name = app.server.name.replace(/[^A-Za-z0-9_-]/g, '-');
    log(
      [
        '',
        `MCP server (development):    ${running.mcpUrl}`,
        `authorization server (dev):  ${running.issuer}  (sign in as any user${running.roles.length > 0 ? `; roles: ${running.roles.join(', ')}` : ''})`,
        '',
        'Point an MCP client at the MCP server URL; it registers and signs in by itself, e.g.',
        `  claude mcp add --transport http ${name} ${running.mcpUrl}`,
        `  npx @modelcontextprotocol/inspector   (Streamable HTTP, URL ${running.mcpUrl})`,
        'A token for scripts:  npm run token -- --scope "<scopes>" --role <role>',
        '',
      ].join('\n'),
    );
    closeOnSignals(() => running.close());
  });
}

/** PORT=0 or DEV_AUTH_PORT=0: a free port. */
async function portFor(port: number, host: string): Promise<number> {
  return port === 0 ? freePort(host) : port;
}

/** A port the OS says is free now: both servers need their URLs before either listens. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
