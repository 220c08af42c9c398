import { McpServer, ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import type { AuthInfo, CallToolResult, McpRequestContext, McpServerFactory } from '@modelcontextprotocol/server';
import type { AuditLog } from '../rbac/audit.js';
import type { Caller } from '../rbac/guard.js';
import { mayCall } from '../rbac/guard.js';
import type { Policy } from '../rbac/policy-types.js';
import type { UpstreamOptions } from '../http/call-upstream.js';
import type { UpstreamCallContext } from '../http/upstream-auth.js';
import { createUpstreamAuth } from '../http/upstream-auth.js';
import { UpstreamError } from '../http/upstream-error.js';
import type { AppDefinition, ToolDefinition, ToolMode } from '../mcp/types.js';
import { listedTool } from '../mcp/listed-tool.js';
import { ConfigError } from './config.js';
import { createCallLimiter } from './call-limiter.js';
import { callTool } from './call-tool.js';
import type { CallTarget } from './call-tool.js';
import type { DynamicCatalogue } from './dynamic-tools.js';
import { registerDynamicTools } from './dynamic-tools.js';
import { CALLER_KEY } from './http-gate.js';
import type { InvokeContext } from './invoke-tool.js';
import type { PreparedTool } from './tool-registry.js';
import { prepareTools } from './tool-registry.js';
import type { DescribeTool, ToolListPage, ToolLister } from './tool-list-pages.js';
import { withFastTools } from './fast-tools.js';
import { DEFAULT_TOOLS_PAGE_SIZE, InvalidCursorError, MAX_PAGE_BYTES, createToolLister } from './tool-list-pages.js';
import { buildSearchIndex } from './tool-search.js';
import { resolveToolMode } from './tool-mode.js';

export { META_ROLES, META_SCOPES } from '../mcp/listed-tool.js';

export interface ServerFactoryOptions {
  readonly app: AppDefinition;
  readonly upstream: Omit<UpstreamOptions, 'schemes'>;
  /** stdio: the local caller (roles from MCP_ROLES); its calls are authorized here, with the policy. */
  readonly stdioCaller?: Caller;
  readonly policy?: Policy;
  readonly audit?: AuditLog;
  /** `all` lists every tool whatever the caller may call (MCP_TOOLS_LIST); default from the generated data. */
  readonly toolsList?: 'filter' | 'all';
  /** MCP_TOOL_MODE; default from the generated data, else `static`. */
  readonly toolMode?: ToolMode;
  /** Tools per `tools/list` page (MCP_TOOLS_PAGE_SIZE); default 100. */
  readonly pageSize?: number;
  /** Upstream calls one MCP request may run at once (MCP_MAX_CONCURRENT_CALLS); default 10. */
  readonly maxConcurrentCalls?: number;
  /** How a tool is listed; the one seam for the listed shape (default: as `McpServer` listed it). */
  readonly describe?: DescribeTool;
}

export const DEFAULT_MAX_CONCURRENT_CALLS = 10;
/** Visibility classes whose `tools/list` pages are kept: distinct scope+role sets, least recently used evicted. */
const MAX_VISIBILITY_CLASSES = 256;

/**
 * One factory serves every transport and protocol era: stdio calls it once
 * per connection, the HTTP handler once per request (stateless). Everything
 * that depends on the tool set is built here, once: the registry, the
 * `tools/list` pages (per visibility class, on first use), the upstream
 * credentials and token cache, the search index of dynamic mode. Per
 * request the factory only makes a low-level SDK `Server` with two handlers
 * over that data, so a request costs the same with 4 tools or 1,200.
 * @throws {ConfigError} when the upstream OAuth settings are unusable.
 */
export function createServerFactory(options: ServerFactoryOptions): McpServerFactory {
  const prepared = prepareTools(options.app);
  const byName = new Map(prepared.map((t) => [t.definition.name, t]));
  const outputSchemas = options.app.server.outputSchemas ?? 'shallow';
  const upstream: UpstreamOptions = {
    ...options.upstream,
    schemes: options.app.schemes,
    auth: options.upstream.auth ?? upstreamAuth(options),
  };
  // RFC 8693: the caller's token leaves this server only for a token exchange. Without one
  // configured it goes nowhere upstream, so no result can carry it back: calls are not handed it
  // (each would scan its result for the token's forms, a visible part of an OAuth call's CPU).
  const exchangesTokens = Object.keys(options.app.schemes).some(
    (scheme) => upstream.auth?.flowOf(scheme) === 'token_exchange',
  );
  const toolsList = options.toolsList ?? options.app.authorization.toolsList;
  const maxConcurrent = options.maxConcurrentCalls ?? DEFAULT_MAX_CONCURRENT_CALLS;
  const catalogue: DynamicCatalogue | undefined =
    resolveToolMode(options.app, options.toolMode) === 'dynamic'
      ? { byName, index: buildSearchIndex(options.app.tools) }
      : undefined;
  const lister = createToolLister(prepared, {
    // What a tool is listed as (listed-tool.ts): trimmed for size, output schema per the generator's `outputSchemas`.
    describe: options.describe ?? ((tool) => ({ ...listedTool(tool.definition, options.app.defs, { outputSchemas }) })),
    pageSize: options.pageSize ?? DEFAULT_TOOLS_PAGE_SIZE,
    maxPageBytes: MAX_PAGE_BYTES,
    maxClasses: MAX_VISIBILITY_CLASSES,
  });
  const relevant = accessVocabulary(options.app.tools);
  /** What one HTTP request (or one stdio connection) is served with: its caller and what it may see. */
  const scopeOf = (authInfo: AuthInfo | undefined, withLimit: boolean): RequestScope => {
    // Over HTTP the gate put the verified caller into authInfo; over stdio it is the local caller.
    const fromHttp = authInfo?.extra?.[CALLER_KEY] as Caller | undefined;
    const caller = fromHttp ?? options.stdioCaller;
    const filterFor = toolsList === 'filter' ? caller : undefined;
    const decide = caller ? rememberLast((tool: ToolDefinition) => mayCall(tool, caller)) : undefined;
    // Set member by member: a spread of a conditional literal allocates that literal per request.
    const invoke: Mutable<InvokeContext> = { upstream, subject: exchangesTokens ? subjectOf(authInfo, fromHttp) : {} };
    if (caller) invoke.caller = caller;
    if (decide) invoke.decide = decide;
    if (options.policy) invoke.policy = options.policy;
    if (options.audit) invoke.audit = options.audit;
    // Per factory call: one HTTP request, or one stdio connection. A single call needs none.
    if (withLimit) invoke.limit = createCallLimiter(maxConcurrent);
    return { filterFor, invoke };
  };
  const factory: McpServerFactory = (ctx?: McpRequestContext) => {
    const { filterFor, invoke } = scopeOf(ctx?.authInfo, true);
    if (catalogue) {
      // Three meta-tools: registering them per request costs the same whatever the catalogue's size.
      const server = new McpServer(serverInfo(options.app), { capabilities: { tools: { listChanged: false } } });
      const visible = (tool: ToolDefinition) => filterFor === undefined || mayCall(tool, filterFor).allow;
      registerDynamicTools(server, catalogue, visible, invoke);
      return server;
    }
    return staticServer(options.app, staticTools(lister, byName, filterFor, invoke, relevant));
  };
  if (catalogue) return factory;
  // A server that is never connected: its wire codec is the 2025 era's, the one the fast lane serves.
  const projector = new Server(serverInfo(options.app), { capabilities: { tools: { listChanged: false } } });
  const project = (result: CallToolResult, schema: Readonly<Record<string, unknown>> | undefined) =>
    projectsAsIs(result, schema) ? result : projector.projectCallToolResult(result, schema);
  // No caller (MCP_AUTH=none over HTTP): every request has the same scope, built once.
  const callerless = options.stdioCaller === undefined ? scopeOf(undefined, false) : undefined;
  const callerlessTools = callerless && staticTools(lister, byName, callerless.filterFor, callerless.invoke, relevant);
  // Per caller, not per request: the gate hands every request of one token from one address the
  // same frozen caller (rbac/guard.ts `callerOf`), and what its calls run with depends on nothing
  // else, unless a token exchange needs the request's token.
  const toolsByCaller = new WeakMap<Caller, StaticTools>();
  const toolsFor = (authInfo: AuthInfo | undefined): StaticTools => {
    if (authInfo === undefined && callerlessTools !== undefined) return callerlessTools;
    const caller = exchangesTokens ? undefined : (authInfo?.extra?.[CALLER_KEY] as Caller | undefined);
    const known = caller && toolsByCaller.get(caller);
    if (known) return known;
    const { filterFor, invoke } = scopeOf(authInfo, false);
    const tools = staticTools(lister, byName, filterFor, invoke, relevant);
    if (caller) toolsByCaller.set(caller, tools);
    return tools;
  };
  return withFastTools(factory, {
    call: (params, authInfo, signal) => toolsFor(authInfo).call(params, project, signal),
    list: (cursor, authInfo) => toolsFor(authInfo).list(cursor),
  });
}

/**
 * When the 2025 codec's `projectCallToolResult` returns its argument as it
 * is: no `structuredContent`, or an object under an object-rooted (or no)
 * advertised schema. Its text fallback and `{ result }` wrapping apply only
 * to non-object values and roots; those still go through the SDK.
 */
function projectsAsIs(result: CallToolResult, schema: Readonly<Record<string, unknown>> | undefined): boolean {
  const sc = result.structuredContent;
  if (sc === undefined) return true;
  return (
    typeof sc === 'object' && sc !== null && !Array.isArray(sc) && (schema === undefined || schema.type === 'object')
  );
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `decide` with its last answer remembered: a call asks about the same tool twice (visible, then allowed). */
function rememberLast<T extends object, R>(decide: (value: T) => R): (value: T) => R {
  let last: { readonly value: T; readonly result: R } | undefined;
  return (value) => {
    if (last?.value !== value) last = { value, result: decide(value) };
    return last.result;
  };
}

/** The caller of one request and what its calls run with. */
interface RequestScope {
  /** The caller whose visible tools are listed and callable; `undefined`: every tool (MCP_TOOLS_LIST=all, or no caller). */
  readonly filterFor: Caller | undefined;
  readonly invoke: InvokeContext;
}

/** `tools/list` and `tools/call` of static mode for one request, over the prebuilt registry. */
interface StaticTools {
  /** @throws {InvalidCursorError} for a cursor this server did not issue for this caller's list. */
  list(cursor: string | undefined): ToolListPage;
  call(
    params: { readonly name: string; readonly arguments?: Record<string, unknown> },
    project: (result: CallToolResult, schema: Readonly<Record<string, unknown>> | undefined) => CallToolResult,
    signal?: AbortSignal,
  ): Promise<CallToolResult>;
}

function staticTools(
  lister: ToolLister,
  byName: ReadonlyMap<string, PreparedTool>,
  filterFor: Caller | undefined,
  invoke: InvokeContext,
  relevant: AccessVocabulary,
): StaticTools {
  const decide = invoke.decide ?? ((tool: ToolDefinition) => mayCall(tool, filterFor!));
  const visible = (tool: PreparedTool) => filterFor === undefined || decide(tool.definition).allow;
  const target: CallTarget = {
    // A tool this caller cannot list is not found, exactly as when it was not registered for it.
    find: (name) => {
      const tool = byName.get(name);
      return tool && visible(tool) ? tool : undefined;
    },
    advertisedOutputSchema: (tool) => lister.listed(tool).outputSchema as Readonly<Record<string, unknown>> | undefined,
  };
  return {
    list: (cursor) =>
      lister.page(filterFor === undefined ? '*' : visibilityClass(filterFor, relevant), visible, cursor),
    call: (params, project, signal) => callTool(target, params, invoke, project, signal),
  };
}

/** The low-level server of static mode: `tools/list` and `tools/call` over the prebuilt registry. */
function staticServer(app: AppDefinition, tools: StaticTools): Server {
  const server = new Server(serverInfo(app), { capabilities: { tools: { listChanged: false } } });
  server.setRequestHandler('tools/list', (request) => {
    try {
      return tools.list(request.params?.cursor) as never;
    } catch (error) {
      // MCP 2025-11-25 "Pagination": an invalid cursor SHOULD be answered with -32602 (Invalid params).
      if (error instanceof InvalidCursorError)
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid cursor');
      throw error;
    }
  });
  server.setRequestHandler('tools/call', (request, ctx) =>
    tools.call(request.params, (result, schema) => server.projectCallToolResult(result, schema), ctx.mcpReq.signal),
  );
  return server;
}

/** The scopes and roles any tool names: the only ones that can change what a caller sees. */
interface AccessVocabulary {
  readonly scopes: ReadonlySet<string>;
  readonly roles: ReadonlySet<string>;
}

function accessVocabulary(tools: readonly ToolDefinition[]): AccessVocabulary {
  const scopes = new Set<string>();
  const roles = new Set<string>();
  for (const tool of tools) {
    for (const alternative of tool.access.scopes) for (const scope of alternative) scopes.add(scope);
    for (const role of tool.access.roles ?? []) roles.add(role);
  }
  return { scopes, roles };
}

/**
 * What decides which tools a caller sees (`mayCall`: scopes with the
 * hierarchy applied, and roles), as a key: callers with equal keys share
 * their `tools/list` pages. Scopes and roles no tool names (`openid`,
 * `email`...) are left out, so they do not multiply the classes.
 */
function visibilityClass(caller: Caller, relevant: AccessVocabulary): string {
  const scopes = caller.scopes === 'all' ? ['*'] : [...caller.scopes].filter((s) => relevant.scopes.has(s)).sort();
  return JSON.stringify([scopes, caller.roles.filter((r) => relevant.roles.has(r)).sort()]);
}

function serverInfo(app: AppDefinition) {
  return {
    name: app.server.name,
    version: app.server.version,
    ...(app.server.title ? { title: app.server.title } : {}),
  };
}

function upstreamAuth(options: ServerFactoryOptions) {
  try {
    return createUpstreamAuth(options.app.schemes, options.upstream.env, {
      baseUrl: options.upstream.baseUrl,
      ...(options.upstream.fetch ? { fetch: options.upstream.fetch } : {}),
    });
  } catch (error) {
    if (error instanceof UpstreamError) throw new ConfigError(`upstream credentials: ${error.message}.`);
    throw error;
  }
}

/**
 * The caller's OAuth access token, for RFC 8693 token exchange at the
 * upstream's token endpoint only; never forwarded to the upstream API. Only
 * a verified OAuth token qualifies: an API key is a secret of this server,
 * not a token another authorization server could accept.
 */
function subjectOf(
  authInfo: AuthInfo | undefined,
  caller: Caller | undefined,
): Pick<UpstreamCallContext, 'subjectToken' | 'subjectExpiresAt'> {
  const via = caller?.principal.via;
  const token = authInfo?.token;
  if (!token || caller?.transport !== 'http' || (via !== 'jwt' && via !== 'introspection')) return {};
  const expiresAt = caller.principal.expiresAt;
  return { subjectToken: token, ...(expiresAt !== undefined ? { subjectExpiresAt: expiresAt } : {}) };
}
