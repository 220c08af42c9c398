import { McpServer } from '@modelcontextprotocol/server';
import type { CallToolResult, McpRequestContext, McpServerFactory, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { AuditLog } from '../rbac/audit.js';
import type { Caller } from '../rbac/guard.js';
import { mayCall } from '../rbac/guard.js';
import type { Policy } from '../rbac/policy-types.js';
import type { UpstreamOptions } from '../http/call-upstream.js';
import type { UpstreamCallContext } from '../http/upstream-auth.js';
import { createUpstreamAuth } from '../http/upstream-auth.js';
import { UpstreamError } from '../http/upstream-error.js';
import type { ListedTool } from '../mcp/listed-tool.js';
import { listedTool } from '../mcp/listed-tool.js';
import type { AppDefinition, JsonSchema, ToolDefinition, ToolMode } from '../mcp/types.js';
import { ConfigError } from './config.js';
import type { DynamicCatalogue } from './dynamic-tools.js';
import { registerDynamicTools } from './dynamic-tools.js';
import { CALLER_KEY } from './http-gate.js';
import type { InvokeContext } from './invoke-tool.js';
import { invokeTool } from './invoke-tool.js';
import type { PreparedTool } from './tool-registry.js';
import { prepareTools } from './tool-registry.js';
import { buildSearchIndex } from './tool-search.js';

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
}

export { META_ROLES, META_SCOPES } from '../mcp/listed-tool.js';

/**
 * One factory serves every transport and protocol era: stdio calls it once
 * per connection, the HTTP handler once per request (stateless). The
 * upstream OAuth settings are read and the token cache created here, once;
 * so is the search index of dynamic mode.
 * @throws {ConfigError} when the upstream OAuth settings are unusable.
 */
export function createServerFactory(options: ServerFactoryOptions): McpServerFactory {
  const prepared = prepareTools(options.app);
  const outputSchemas = options.app.server.outputSchemas ?? 'shallow';
  const listed = new Map(prepared.map((t) => [t.definition.name, toolConfig(t, listedTool(t.definition, options.app.defs, { outputSchemas }))]));
  const upstream: UpstreamOptions = {
    ...options.upstream,
    schemes: options.app.schemes,
    auth: options.upstream.auth ?? upstreamAuth(options),
  };
  const toolsList = options.toolsList ?? options.app.authorization.toolsList;
  const catalogue: DynamicCatalogue | undefined =
    (options.toolMode ?? options.app.toolMode ?? 'static') === 'dynamic'
      ? { byName: new Map(prepared.map((t) => [t.definition.name, t])), index: buildSearchIndex(options.app.tools) }
      : undefined;
  return (ctx?: McpRequestContext) => {
    // Over HTTP the gate put the verified caller into authInfo; over stdio it is the local caller.
    const fromHttp = ctx?.authInfo?.extra?.[CALLER_KEY] as Caller | undefined;
    const caller = fromHttp ?? options.stdioCaller;
    const filterFor = toolsList === 'filter' ? caller : undefined;
    const invoke: InvokeContext = {
      upstream,
      subject: subjectOf(ctx, fromHttp),
      ...(caller ? { caller } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.audit ? { audit: options.audit } : {}),
    };
    const server = newServer(options.app);
    if (catalogue) {
      const visible = (tool: ToolDefinition) => filterFor === undefined || mayCall(tool, filterFor).allow;
      registerDynamicTools(server, catalogue, visible, invoke);
    } else {
      registerStaticTools(server, filterFor ? prepared.filter((t) => mayCall(t.definition, filterFor).allow) : prepared, listed, invoke);
    }
    return server;
  };
}

function upstreamAuth(options: ServerFactoryOptions) {
  try {
    return createUpstreamAuth(options.app.schemes, options.upstream.env, { baseUrl: options.upstream.baseUrl, ...(options.upstream.fetch ? { fetch: options.upstream.fetch } : {}) });
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
function subjectOf(ctx: McpRequestContext | undefined, caller: Caller | undefined): Pick<UpstreamCallContext, 'subjectToken' | 'subjectExpiresAt'> {
  const via = caller?.principal.via;
  const token = ctx?.authInfo?.token;
  if (!token || caller?.transport !== 'http' || (via !== 'jwt' && via !== 'introspection')) return {};
  const expiresAt = caller.principal.expiresAt;
  return { subjectToken: token, ...(expiresAt !== undefined ? { subjectExpiresAt: expiresAt } : {}) };
}

function newServer(app: AppDefinition): McpServer {
  return new McpServer(
    { name: app.server.name, version: app.server.version, ...(app.server.title ? { title: app.server.title } : {}) },
    { capabilities: { tools: { listChanged: false } } },
  );
}

function registerStaticTools(server: McpServer, tools: readonly PreparedTool[], configs: ReadonlyMap<string, ToolConfig>, invoke: InvokeContext): void {
  for (const tool of tools) {
    server.registerTool(
      tool.definition.name,
      configs.get(tool.definition.name) as ToolConfig,
      // The SDK has validated the arguments against the input schema.
      (args: Record<string, unknown>, extra?: { mcpReq?: { signal?: AbortSignal } }): Promise<CallToolResult> =>
        invokeTool(tool, args ?? {}, invoke, extra?.mcpReq?.signal),
    );
  }
}

type PreparedSchema = StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>>;

interface ToolConfig {
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: PreparedSchema;
  readonly outputSchema?: PreparedSchema;
  readonly annotations?: ListedTool['annotations'];
  readonly _meta?: Record<string, unknown>;
}

/**
 * What `registerTool` is given, built once per tool: the SDK lists exactly
 * listedTool's object (listed-tool.ts). The listed output schema is checked
 * with the whole schema's validator: whatever passes the whole schema passes
 * the listed one (output-shape.ts), so the SDK's own check of
 * `structuredContent` after invokeTool's agrees with what the client was told.
 */
function toolConfig(tool: PreparedTool, entry: ListedTool): ToolConfig {
  const advertised = (schema: JsonSchema, whole: PreparedSchema): PreparedSchema => {
    const json = () => schema as Record<string, unknown>;
    return { '~standard': { ...whole['~standard'], jsonSchema: { input: json, output: json } } } as PreparedSchema;
  };
  return {
    ...(entry.title ? { title: entry.title } : {}),
    description: entry.description,
    inputSchema: tool.inputSchema,
    ...(entry.outputSchema && tool.outputSchema ? { outputSchema: advertised(entry.outputSchema, tool.outputSchema) } : {}),
    ...(entry.annotations ? { annotations: entry.annotations } : {}),
    ...(entry._meta ? { _meta: entry._meta } : {}),
  };
}
