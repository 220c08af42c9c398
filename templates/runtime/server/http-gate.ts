import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { AuditLog } from '../rbac/audit.js';
import { bearerChallenge } from '../auth/www-authenticate.js';
import type { Caller } from '../rbac/guard.js';
import { authorizeCall, callerOf } from '../rbac/guard.js';
import type { Policy } from '../rbac/policy-types.js';
import type { TokenVerifier } from '../auth/principal.js';
import { AuthUnavailableError, InvalidTokenError } from '../auth/principal.js';
import type { AuthorizationDefinition, ToolDefinition, ToolMode } from '../mcp/types.js';
import { extractBearer } from './bearer-token.js';
import { toolCallTarget } from './dynamic-tools.js';
import { readJsonBody, toolCallsIn } from './read-json-body.js';

/** Everything the HTTP layer needs to authorize requests (MCP_AUTH=oauth or api-key). */
export interface HttpAuth {
  readonly mode: 'oauth' | 'api-key';
  readonly verifier: TokenVerifier;
  readonly tools: readonly ToolDefinition[];
  readonly authorization: AuthorizationDefinition;
  /** `dynamic`: a `tools/call` of `call_tool` is authorized as a call of the tool it names. Default `static`. */
  readonly toolMode?: ToolMode;
  /** RFC 9728 document and its URL (OAuth only; API keys have no discovery). */
  readonly resourceMetadata?: { readonly url: string; readonly document: Readonly<Record<string, unknown>> };
  readonly rolesClaim?: string;
  readonly policy?: Policy;
  readonly audit: AuditLog;
  readonly maxTokenBytes: number;
  readonly log: (line: string) => void;
}

export type GateResult = { readonly pass: true; readonly authInfo: AuthInfo; readonly body: unknown } | { readonly pass: false };

/** Key under `AuthInfo.extra` carrying the `Caller` to the per-request server factory. */
export const CALLER_KEY = 'openapi-to-mcp/caller';

/**
 * Authenticates a request to the MCP endpoint and authorizes any
 * `tools/call` in it before the SDK sees it. Answers the request itself
 * (401, 403, 413, 503...) and returns `pass: false` when it must not go on.
 */
export async function gateRequest(req: IncomingMessage, res: ServerResponse, auth: HttpAuth, maxBodyBytes: number): Promise<GateResult> {
  const remoteAddress = req.socket.remoteAddress;
  const deny = (reason: string, subject = 'anonymous', client?: string, tool?: string) =>
    auth.audit({ subject, ...(client ? { client } : {}), ...(tool ? { tool } : {}), outcome: 'deny', reason, transport: 'http', ...(remoteAddress ? { remoteAddress } : {}) });

  const extracted = extractBearer(req, { maxBytes: auth.maxTokenBytes, apiKeyHeader: auth.mode === 'api-key' });
  if (extracted.kind === 'none') {
    deny('no credential');
    // RFC 6750 §3.1: no error code when the request carried no authentication information.
    challenge(res, 401, auth, {});
    return { pass: false };
  }
  if (extracted.kind === 'malformed') {
    deny(`invalid token: ${extracted.description}`);
    challenge(res, 401, auth, { error: 'invalid_token', errorDescription: extracted.description });
    return { pass: false };
  }

  let caller: Caller;
  try {
    const principal = await auth.verifier.verify(extracted.token);
    caller = callerOf(principal, auth.authorization, {
      ...(auth.rolesClaim ? { rolesClaim: auth.rolesClaim } : {}),
      transport: 'http',
      ...(remoteAddress ? { remoteAddress } : {}),
    });
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      deny(`invalid token: ${error.description}`);
      challenge(res, 401, auth, { error: 'invalid_token', errorDescription: error.description });
      return { pass: false };
    }
    // Fail closed (DESIGN.md §5): no keys, no metadata or no introspection means no access.
    const message = error instanceof AuthUnavailableError ? error.message : 'token verification failed';
    auth.log(JSON.stringify({ level: 'error', msg: 'authorization unavailable', error: message }));
    deny('authorization unavailable');
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: 'the server cannot verify tokens right now' }));
    return { pass: false };
  }

  const body = req.method === 'POST' ? await readJsonBody(req, maxBodyBytes) : ({ ok: true, value: undefined } as const);
  if (!body.ok) {
    auth.log(JSON.stringify({ level: 'warn', msg: 'bad request', status: body.status, reason: body.message, ...(remoteAddress ? { remoteAddress } : {}) }));
    res.writeHead(body.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: body.status === 400 ? -32700 : -32600, message: body.message } }));
    return { pass: false };
  }

  const { principal } = caller;
  const byName = toolIndex(auth.tools);
  // Decide every call of the message first (a 2025-03-26 batch may hold several): one denial
  // refuses the whole request, so nothing is audited as allowed that does not run.
  const allowed: { tool: string; reason: string }[] = [];
  for (const outer of toolCallsIn(body.value)) {
    // Dynamic mode: `call_tool` is authorized against the tool it runs, exactly as a direct call of it.
    const call = toolCallTarget(outer, auth.toolMode ?? 'static');
    const tool = call && typeof call.name === 'string' ? byName.get(call.name) : undefined;
    // Unknown tools are the SDK's (or call_tool's) to answer with an error; nothing to authorize.
    if (!call || !tool) continue;
    const args = call.arguments !== null && typeof call.arguments === 'object' && !Array.isArray(call.arguments) ? (call.arguments as Record<string, unknown>) : {};
    const decision = await authorizeCall(tool, caller, auth.policy, args);
    if (decision.allow) {
      allowed.push({ tool: tool.name, reason: decision.reason });
      continue;
    }
    deny(decision.reason, principal.subject, principal.clientId, tool.name);
    if (decision.kind === 'scope') {
      // RFC 6750 §3.1 insufficient_scope; MCP authorization 2025-11-25 "Scope Challenge Handling": step-up.
      challenge(res, 403, auth, { error: 'insufficient_scope', scope: decision.scopes.join(' '), errorDescription: `${tool.name} needs scope ${decision.scopes.join(' ')}` });
    } else {
      // A role or policy denial: no scope would help, so no challenge a client could step up on.
      res.writeHead(403, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: 'access_denied', error_description: `${tool.name}: ${decision.reason}` }));
    }
    return { pass: false };
  }
  for (const { tool, reason } of allowed) {
    auth.audit({ subject: principal.subject, ...(principal.clientId ? { client: principal.clientId } : {}), tool, outcome: 'allow', reason, transport: 'http', ...(remoteAddress ? { remoteAddress } : {}) });
  }

  const authInfo: AuthInfo = {
    token: extracted.token,
    clientId: principal.clientId ?? '',
    scopes: [...principal.scopes],
    ...(principal.expiresAt !== undefined ? { expiresAt: principal.expiresAt } : {}),
    ...(auth.resourceMetadata ? { resourceMetadataUrl: auth.resourceMetadata.url } : {}),
    extra: { [CALLER_KEY]: caller },
  };
  return { pass: true, authInfo, body: body.value };
}

const indexes = new WeakMap<readonly ToolDefinition[], ReadonlyMap<string, ToolDefinition>>();

/** Tools by name, built once per tool list (a thousand tools are looked up on every call). */
function toolIndex(tools: readonly ToolDefinition[]): ReadonlyMap<string, ToolDefinition> {
  let index = indexes.get(tools);
  if (!index) {
    index = new Map(tools.map((t) => [t.name, t]));
    indexes.set(tools, index);
  }
  return index;
}

function challenge(
  res: ServerResponse,
  status: 401 | 403,
  auth: HttpAuth,
  options: { error?: 'invalid_token' | 'invalid_request' | 'insufficient_scope'; errorDescription?: string; scope?: string },
): void {
  // RFC 9728 §5.1: point the client at the metadata; the initial challenge names the scopes the tools need.
  const scope = options.scope ?? (auth.authorization.scopesSupported.length > 0 ? auth.authorization.scopesSupported.join(' ') : undefined);
  const header = bearerChallenge({
    ...(auth.resourceMetadata ? { resourceMetadata: auth.resourceMetadata.url } : {}),
    ...(scope ? { scope } : {}),
    ...(options.error ? { error: options.error } : {}),
    ...(options.errorDescription ? { errorDescription: options.errorDescription } : {}),
  });
  res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': header, 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: options.error ?? 'unauthorized', ...(options.errorDescription ? { error_description: options.errorDescription } : {}) }));
}
