import { createApiKeyVerifier } from '../auth/api-keys.js';
import { createAuditLog } from '../rbac/audit.js';
import type { AuditLog } from '../rbac/audit.js';
import { loadAuthConfig } from '../auth/auth-config.js';
import { protectedResourceMetadataUrl } from '../auth/www-authenticate.js';
import { createTokenVerifier } from '../auth/create-verifier.js';
import { checkAuthorizationAtStartup } from '../auth/startup-check.js';
import { logDeploymentChecksAtStartup } from '../doctor/startup-checks.js';
import type { VerifierOptions } from '../auth/create-verifier.js';
import type { Caller } from '../rbac/guard.js';
import { callerOf } from '../rbac/guard.js';
import type { Policy } from '../rbac/policy-types.js';
import { protectedResourceMetadata } from '../auth/protected-resource-metadata.js';
import { redactingLog } from '../http/secret-redactor.js';
import { upstreamRedactor } from '../http/upstream-redactor.js';
import type { AppDefinition, ToolMode } from '../mcp/types.js';
import type { RuntimeConfig } from './config.js';
import { loadConfig } from './config.js';
import { createServerFactory } from './create-server.js';
import { loadDispatchConfig } from './dispatch-config.js';
import type { DispatchConfig } from './dispatch-config.js';
import type { HttpAuth } from './http-gate.js';
import { startHttpServer } from './http-server.js';
import { resolveToolMode } from './tool-mode.js';
import { applyHeapPolicy } from './heap-policy.js';
import { batchedStderr } from './batched-lines.js';
import { serveStdioWithLimit, stdioMaxMessageBytes } from './stdio-server.js';
import type { HttpServeOptions, RunningHttpServer } from './http-server.js';
import { closeOnSignals, withConfigErrors } from '../config/process-lifecycle.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface MainOptions {
  /** The user's policy hook (`src/policy.ts`). */
  readonly policy?: Policy;
  /** Where logs and audit lines go; stderr by default, one write per event-loop turn (`batched-lines.ts`; on stdio, stdout belongs to the protocol). */
  readonly log?: (line: string) => void;
  /** Token verifier tuning (JWKS refetch cooldown, retry pause...); the defaults suit production. */
  readonly verifier?: VerifierOptions;
  /** Internal switches of the HTTP layer; the defaults are what production runs. */
  readonly http?: HttpServeOptions;
}

/** Configuration, authorization and the server factory, from the environment. Throws `ConfigError` on a bad setup. */
export async function createRuntime(app: AppDefinition, env: Env, options: MainOptions = {}) {
  // Upstream secrets (keys, client secrets, tokens as obtained) never reach a log line.
  const log = redactingLog(options.log ?? batchedStderr(), upstreamRedactor(app.schemes, env));
  const config = loadConfig(app, env);
  const dispatch = loadDispatchConfig(env);
  const audit = createAuditLog(log);
  const rolesClaim = config.rolesClaim ?? app.authorization.rolesClaim;
  const toolMode = resolveToolMode(app, config.toolMode);
  const httpAuth =
    config.transport === 'http'
      ? await createHttpAuth(app, config, dispatch, env, audit, log, options, rolesClaim, toolMode)
      : undefined;
  const factory = createServerFactory({
    app,
    upstream: {
      baseUrl: config.upstreamBaseUrl,
      timeoutMs: config.upstreamTimeoutMs,
      maxResponseBytes: config.upstreamMaxResponseBytes,
      env,
      log,
    },
    ...(config.transport === 'stdio' ? { stdioCaller: stdioCaller(app, config) } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    audit,
    ...(config.toolsList ? { toolsList: config.toolsList } : {}),
    toolMode,
    pageSize: dispatch.pageSize,
    maxConcurrentCalls: dispatch.maxConcurrentCalls,
  });
  return { config, dispatch, factory, httpAuth, log };
}

/** Starts the HTTP server as `main` would (used by tests, which pass PORT=0 and read `url`). */
export async function startHttp(app: AppDefinition, env: Env, options: MainOptions = {}): Promise<RunningHttpServer> {
  const runtime = await createRuntime(app, { ...env, MCP_TRANSPORT: 'http' }, options);
  return startHttpServer(
    runtime.config,
    runtime.factory,
    runtime.log,
    runtime.httpAuth,
    runtime.dispatch.maxBatch,
    options.http,
  );
}

/** The entry of a generated server: configuration from the environment, then stdio or HTTP. */
export async function main(app: AppDefinition, env: Env = process.env, options: MainOptions = {}): Promise<void> {
  const log = options.log ?? batchedStderr();
  // The process is this server's alone here (not in startHttp, which tests call in theirs).
  applyHeapPolicy();
  await withConfigErrors(log, async () => {
    const runtime = await createRuntime(app, env, { ...options, log });
    void logDeploymentChecksAtStartup(app, env, log);
    if (runtime.config.transport === 'stdio') {
      // A stdio client may end the server with a bare SIGTERM, which runs no exit handler, and
      // one client's calls gain nothing from batching: each line is written as it comes.
      if (!options.log) batchedStderr().unbatch();
      // MCP authorization 2025-11-25 §1.2: stdio servers take credentials from the environment, not OAuth.
      serveStdioWithLimit(runtime.factory, stdioMaxMessageBytes(runtime.config.maxRequestBodyBytes), log);
      return;
    }
    const running = await startHttpServer(
      runtime.config,
      runtime.factory,
      log,
      runtime.httpAuth,
      runtime.dispatch.maxBatch,
      options.http,
    );
    log(
      JSON.stringify({
        level: 'info',
        msg: `${app.server.name} listening`,
        url: running.url,
        auth: runtime.config.auth,
        tools: app.tools.length,
      }),
    );
    closeOnSignals(() => running.close());
  });
}

async function createHttpAuth(
  app: AppDefinition,
  config: RuntimeConfig,
  dispatch: DispatchConfig,
  env: Env,
  audit: AuditLog,
  log: (line: string) => void,
  options: MainOptions,
  rolesClaim: string | undefined,
  toolMode: ToolMode,
): Promise<HttpAuth | undefined> {
  const { policy } = options;
  if (config.auth === 'none') return undefined;
  const settings = loadAuthConfig(env, config.publicUrl);
  if (settings.mode === 'none') return undefined;
  void checkAuthorizationAtStartup(settings, { log, tools: app.tools, ...(rolesClaim ? { rolesClaim } : {}) });
  const common = {
    tools: app.tools,
    authorization: app.authorization,
    toolMode,
    ...(rolesClaim ? { rolesClaim } : {}),
    ...(policy ? { policy } : {}),
    audit,
    log,
    maxTokenBytes: settings.maxTokenBytes,
    maxBatch: dispatch.maxBatch,
  };
  if (settings.mode === 'api-key') {
    return { mode: 'api-key', verifier: createApiKeyVerifier(settings), ...common };
  }
  const url = protectedResourceMetadataUrl(config.publicUrl);
  const document = protectedResourceMetadata({
    resource: config.publicUrl.href,
    authorizationServers: settings.authorizationServers,
    scopesSupported: app.authorization.scopesSupported,
    ...(app.server.title ? { resourceName: app.server.title } : {}),
  });
  return {
    mode: 'oauth',
    verifier: createTokenVerifier(settings, options.verifier),
    resourceMetadata: { url, document },
    ...common,
  };
}

/** MCP_ROLES: the local user's roles over stdio; scopes do not apply there. */
function stdioCaller(app: AppDefinition, config: RuntimeConfig): Caller {
  return callerOf(
    { subject: 'stdio', scopes: [], roles: config.stdioRoles, claims: {}, via: 'stdio' },
    app.authorization,
    { transport: 'stdio' },
  );
}
