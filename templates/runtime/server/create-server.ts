import { McpServer } from '@modelcontextprotocol/server';
import type { CallToolResult, McpRequestContext, McpServerFactory } from '@modelcontextprotocol/server';
import type { AuditLog } from '../auth/audit.js';
import type { Caller } from '../auth/guard.js';
import { authorizeCall, mayCall } from '../auth/guard.js';
import type { Policy } from '../auth/policy-types.js';
import { callUpstream } from '../http/call-upstream.js';
import type { UpstreamOptions } from '../http/call-upstream.js';
import type { ToolResult } from '../http/tool-result.js';
import type { UpstreamCallContext } from '../http/upstream-auth.js';
import { createUpstreamAuth } from '../http/upstream-auth.js';
import { UpstreamError } from '../http/upstream-error.js';
import type { AppDefinition, ToolDefinition } from '../mcp/types.js';
import type { PreparedTool } from './tool-registry.js';
import { prepareTools } from './tool-registry.js';
import { ConfigError } from './config.js';
import { CALLER_KEY } from './http-gate.js';

export interface ServerFactoryOptions {
  readonly app: AppDefinition;
  readonly upstream: Omit<UpstreamOptions, 'schemes'>;
  /** stdio: the local caller (roles from MCP_ROLES); its calls are authorized here, with the policy. */
  readonly stdioCaller?: Caller;
  readonly policy?: Policy;
  readonly audit?: AuditLog;
  /** `all` lists every tool whatever the caller may call (MCP_TOOLS_LIST); default from the generated data. */
  readonly toolsList?: 'filter' | 'all';
}

/** `_meta` keys on each listed tool: what a caller needs, so a client can ask for it up front. */
export const META_SCOPES = 'openapi-to-mcp/scopes';
export const META_ROLES = 'openapi-to-mcp/roles';

/**
 * One factory serves every transport and protocol era: stdio calls it once
 * per connection, the HTTP handler once per request (stateless). The
 * upstream OAuth settings are read and the token cache created here, once.
 * @throws {ConfigError} when the upstream OAuth settings are unusable.
 */
export function createServerFactory(options: ServerFactoryOptions): McpServerFactory {
  const prepared = prepareTools(options.app);
  const upstream: UpstreamOptions = {
    ...options.upstream,
    schemes: options.app.schemes,
    auth: options.upstream.auth ?? upstreamAuth(options),
  };
  const toolsList = options.toolsList ?? options.app.authorization.toolsList;
  return (ctx?: McpRequestContext) => {
    // Over HTTP the gate put the verified caller into authInfo; over stdio it is the local caller.
    const fromHttp = ctx?.authInfo?.extra?.[CALLER_KEY] as Caller | undefined;
    const caller = fromHttp ?? options.stdioCaller;
    const visible = caller && toolsList === 'filter' ? prepared.filter((t) => mayCall(t.definition, caller).allow) : prepared;
    return buildServer(options.app, visible, upstream, caller, options, subjectOf(ctx, fromHttp));
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

function buildServer(
  app: AppDefinition,
  tools: readonly PreparedTool[],
  upstream: UpstreamOptions,
  caller: Caller | undefined,
  options: ServerFactoryOptions,
  subject: Pick<UpstreamCallContext, 'subjectToken' | 'subjectExpiresAt'>,
): McpServer {
  const server = new McpServer(
    { name: app.server.name, version: app.server.version, ...(app.server.title ? { title: app.server.title } : {}) },
    { capabilities: { tools: { listChanged: false } } },
  );
  for (const tool of tools) {
    const { definition } = tool;
    server.registerTool(
      definition.name,
      {
        ...(definition.title ? { title: definition.title } : {}),
        description: definition.description,
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        annotations: { ...definition.annotations },
        _meta: {
          [META_SCOPES]: definition.access.scopes,
          ...(definition.access.roles ? { [META_ROLES]: definition.access.roles } : {}),
        },
      },
      async (args: Record<string, unknown>, extra?: { mcpReq?: { signal?: AbortSignal } }): Promise<CallToolResult> => {
        const denied = caller ? await deniedHere(definition, caller, args ?? {}, options) : undefined;
        if (denied) return denied;
        const signal = extra?.mcpReq?.signal;
        const result = await callUpstream(definition, args ?? {}, upstream, { ...subject, ...(signal ? { signal } : {}) });
        return conformOutput(tool, toCallToolResult(result));
      },
    );
  }
  return server;
}

/**
 * Over stdio this is the only guard: roles (MCP_ROLES) and the policy. Over
 * HTTP the gate has already decided before the SDK saw the request; scopes
 * and roles are checked again here so that a gap in the gate fails closed.
 */
async function deniedHere(tool: ToolDefinition, caller: Caller, args: Record<string, unknown>, options: ServerFactoryOptions): Promise<CallToolResult | undefined> {
  const decision = caller.transport === 'stdio' ? await authorizeCall(tool, caller, options.policy, args) : mayCall(tool, caller);
  if (caller.transport === 'stdio') {
    options.audit?.({ subject: caller.principal.subject, tool: tool.name, outcome: decision.allow ? 'allow' : 'deny', reason: decision.reason, transport: 'stdio' });
  }
  if (decision.allow) return undefined;
  return { isError: true, content: [note(`Not allowed to call ${tool.name}: ${decision.reason}.`)] };
}

/**
 * MCP 2025-11-25 "Output Schema": with an output schema, a successful result
 * MUST carry conforming `structuredContent`. Real APIs drift from their
 * specs; rather than let the SDK replace the body with a bare validation
 * error, report the mismatch and keep the body for the caller to read.
 */
async function conformOutput(tool: PreparedTool, result: CallToolResult): Promise<CallToolResult> {
  if (!tool.outputSchema || result.isError) return result;
  if (result.structuredContent === undefined) {
    return { ...result, isError: true, content: [note('The upstream response was not a JSON object as the API declares.'), ...result.content] };
  }
  const checked = await tool.outputSchema['~standard'].validate(result.structuredContent);
  if (!('issues' in checked) || checked.issues === undefined) return result;
  const detail = checked.issues.map((i) => i.message).join('; ');
  const { structuredContent: _dropped, ...rest } = result;
  return { ...rest, isError: true, content: [note(`The upstream response does not match the declared output schema: ${detail}`), ...rest.content] };
}

function toCallToolResult(result: ToolResult): CallToolResult {
  return {
    content: [...result.content],
    ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    ...(result.isError ? { isError: true } : {}),
  };
}

function note(text: string): { type: 'text'; text: string } {
  return { type: 'text', text };
}
