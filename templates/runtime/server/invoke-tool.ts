import type { CallToolResult, StandardSchemaV1 } from '@modelcontextprotocol/server';
import type { AuditLog } from '../rbac/audit.js';
import { recordDecision } from '../rbac/audit.js';
import type { Caller, Decision } from '../rbac/guard.js';
import { authorizeCall, mayCall } from '../rbac/guard.js';
import type { Policy } from '../rbac/policy-types.js';
import { callUpstream } from '../http/call-upstream.js';
import type { UpstreamOptions } from '../http/call-upstream.js';
import type { ToolResult } from '../http/tool-result.js';
import type { UpstreamCallContext } from '../http/upstream-auth.js';
import type { ToolDefinition } from '../mcp/types.js';
import type { CallLimiter } from './call-limiter.js';
import type { PreparedTool } from './tool-registry.js';

/** What one call needs besides the tool and its arguments. */
export interface InvokeContext {
  readonly upstream: UpstreamOptions;
  /** Absent only when authorization is off (MCP_AUTH=none over HTTP). */
  readonly caller?: Caller;
  readonly policy?: Policy;
  readonly audit?: AuditLog;
  /** The caller's verified OAuth token, for RFC 8693 token exchange only (create-server.ts `subjectOf`). */
  readonly subject?: Pick<UpstreamCallContext, 'subjectToken' | 'subjectExpiresAt'>;
  /** Bounds the upstream calls of one MCP request (a batch) running at once. */
  readonly limit?: CallLimiter;
  /**
   * `mayCall` for `caller`, remembered for the tool last asked about: the
   * registry's visibility check (create-server.ts) just made the same
   * decision for the tool being called, so HTTP calls do not make it twice.
   */
  readonly decide?: (tool: ToolDefinition) => Decision;
}

/**
 * One call of one catalogue tool with arguments already validated against
 * its input schema: the guard, the upstream request, the output check. The
 * static tools and `call_tool` both end here, so they behave the same.
 */
export function invokeTool(
  tool: PreparedTool,
  args: Record<string, unknown>,
  ctx: InvokeContext,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  // Not async: the upstream call's own promise is chained once, no async frame per call. As from
  // an async function, a failure is a rejected promise, never a throw.
  try {
    if (ctx.caller) {
      const pending = deniedHere(tool.definition, ctx.caller, args, ctx);
      // Only stdio's policy check is asynchronous: an HTTP call is not held back a tick for it.
      if (pending instanceof Promise)
        return pending.then((denied) => denied ?? callAndConform(tool, args, ctx, signal));
      if (pending) return Promise.resolve(pending);
    }
    return callAndConform(tool, args, ctx, signal);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The upstream call of an allowed call, and its result checked against the output schema. */
function callAndConform(
  tool: PreparedTool,
  args: Record<string, unknown>,
  ctx: InvokeContext,
  signal: AbortSignal | undefined,
): Promise<CallToolResult> {
  const context = upstreamContext(ctx.subject, signal);
  const called = ctx.limit
    ? ctx.limit(() => callUpstream(tool.definition, args, ctx.upstream, context))
    : callUpstream(tool.definition, args, ctx.upstream, context);
  return called.then((result) => conformOutput(tool, toCallToolResult(result)));
}

const NO_CONTEXT: UpstreamCallContext = Object.freeze({});

/** The upstream call's context: the subject token (token exchange) and the cancellation signal, allocated only when there is one. */
function upstreamContext(subject: InvokeContext['subject'], signal: AbortSignal | undefined): UpstreamCallContext {
  if (subject === undefined || subject.subjectToken === undefined)
    return signal === undefined ? NO_CONTEXT : { signal };
  return signal === undefined ? { ...subject } : { ...subject, signal };
}

/**
 * MCP 2025-11-25 "Tools": servers MUST validate tool inputs. The arguments
 * checked against the tool's input schema: the parsed value, or each issue
 * as `path: message`. The one check behind static `tools/call` (call-tool.ts,
 * worded as `McpServer` words it) and `call_tool` (`validateArguments`).
 */
export function checkArguments(tool: PreparedTool, args: unknown): Checked | Promise<Checked> {
  const checked = tool.inputSchema['~standard'].validate(args ?? {});
  // Standard Schema lets a validator be asynchronous; ajv's compiled functions (tool-registry.ts) are not,
  // so a call is not held back a tick for them.
  return checked instanceof Promise ? checked.then(checkedArguments) : checkedArguments(checked);
}

type Checked = { ok: true; value: Record<string, unknown> } | { ok: false; issues: string[] };

function checkedArguments(checked: StandardSchemaV1.Result<Record<string, unknown>>): Checked {
  if (!('issues' in checked) || checked.issues === undefined || checked.issues.length === 0)
    return { ok: true, value: (checked as { value: Record<string, unknown> }).value };
  return {
    ok: false,
    issues: checked.issues.map((i) =>
      i.path && i.path.length > 0 ? `${i.path.map(segment).join('.')}: ${i.message}` : i.message,
    ),
  };
}

/**
 * The check the SDK makes before a static tool's handler runs, for a call
 * that reaches the tool indirectly (`call_tool`). Returns the parsed
 * arguments or the error to answer.
 */
export async function validateArguments(
  tool: PreparedTool,
  args: unknown,
): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; result: CallToolResult }> {
  const checked = await checkArguments(tool, args);
  if (checked.ok) return checked;
  return {
    ok: false,
    result: {
      isError: true,
      content: [
        note(
          `Input validation error: invalid arguments for tool ${tool.definition.name}: ${checked.issues.join('; ')}`,
        ),
      ],
    },
  };
}

/**
 * Over stdio this is the only guard: roles (MCP_ROLES) and the policy. Over
 * HTTP the gate has already decided before the SDK saw the request; scopes
 * and roles are checked again here so that a gap in the gate fails closed.
 * Either way the decision is audited here, where the call executes: a call
 * the SDK refuses (invalid arguments, a refused batch) is never logged as allowed.
 */
function deniedHere(
  tool: ToolDefinition,
  caller: Caller,
  args: Record<string, unknown>,
  ctx: InvokeContext,
): CallToolResult | undefined | Promise<CallToolResult | undefined> {
  if (caller.transport === 'stdio')
    return authorizeCall(tool, caller, ctx.policy, args).then((decision) => audited(tool, caller, decision, ctx));
  return audited(tool, caller, ctx.decide?.(tool) ?? mayCall(tool, caller), ctx);
}

function audited(
  tool: ToolDefinition,
  caller: Caller,
  decision: Decision,
  ctx: InvokeContext,
): CallToolResult | undefined {
  if (ctx.audit)
    recordDecision(ctx.audit, caller, {
      tool: tool.name,
      outcome: decision.allow ? 'allow' : 'deny',
      reason: decision.reason,
    });
  if (decision.allow) return undefined;
  return { isError: true, content: [note(`Not allowed to call ${tool.name}: ${decision.reason}.`)] };
}

/**
 * MCP 2025-11-25 "Output Schema": with an output schema, a successful result
 * MUST carry conforming `structuredContent`. Real APIs drift from their
 * specs; rather than let the SDK replace the body with a bare validation
 * error, report the mismatch and keep the body for the caller to read.
 */
function conformOutput(tool: PreparedTool, result: CallToolResult): CallToolResult | Promise<CallToolResult> {
  if (!tool.outputSchema || result.isError) return result;
  if (result.structuredContent === undefined) {
    return {
      ...result,
      isError: true,
      content: [note('The upstream response was not a JSON object as the API declares.'), ...result.content],
    };
  }
  const checked = tool.outputSchema['~standard'].validate(result.structuredContent);
  // As for arguments: only an asynchronous validator costs a tick.
  return checked instanceof Promise ? checked.then((c) => conformed(result, c)) : conformed(result, checked);
}

function conformed(result: CallToolResult, checked: StandardSchemaV1.Result<Record<string, unknown>>): CallToolResult {
  if (!('issues' in checked) || checked.issues === undefined) return result;
  const detail = checked.issues.map((i) => i.message).join('; ');
  const { structuredContent: _dropped, ...rest } = result;
  return {
    ...rest,
    isError: true,
    content: [note(`The upstream response does not match the declared output schema: ${detail}`), ...rest.content],
  };
}

function toCallToolResult(result: ToolResult): CallToolResult {
  // Built key by key (content, structuredContent, isError: the order the answer is written in), no spread copies.
  const out: CallToolResult = { content: [...result.content] };
  // The structured value itself, so the JSON shaped from it still holds (compact-json.ts).
  if (result.structuredContent !== undefined) out.structuredContent = result.structuredContent;
  if (result.isError) out.isError = true;
  return out;
}

function segment(part: PropertyKey | { readonly key: PropertyKey }): string {
  return typeof part === 'object' ? String(part.key) : String(part);
}

export function note(text: string): { type: 'text'; text: string } {
  return { type: 'text', text };
}
