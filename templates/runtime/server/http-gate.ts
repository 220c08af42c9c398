import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { AuthError } from '../auth/auth-error.js';
import { authenticateNow } from '../auth/authenticate.js';
import type { AuthenticateOptions, Authenticated } from '../auth/authenticate.js';
import type { CredentialHeaders } from '../auth/bearer-token.js';
import type { TokenVerifier } from '../auth/principal.js';
import type { AuditedParty, AuditLog } from '../rbac/audit.js';
import { recordDecision } from '../rbac/audit.js';
import type { Caller, CallsDecision, ToolCall } from '../rbac/guard.js';
import { authorizeCalls, callerOf } from '../rbac/guard.js';
import type { Policy } from '../rbac/policy-types.js';
import type { AuthorizationDefinition, ToolDefinition, ToolMode } from '../mcp/types.js';
import { authErrorResponse } from './auth-response.js';
import { flushPendingStderr } from './batched-lines.js';
import type { ChallengeSettings, HttpAnswer } from './auth-response.js';
import { toolCallTarget } from './dynamic-tools.js';
import { readJsonBodyInto, toolCallsIn } from './read-json-body.js';
import { DEFAULT_TOOL_MODE } from './tool-mode.js';

/** Everything the HTTP layer needs to authorize requests (MCP_AUTH=oauth or api-key). */
export interface HttpAuth {
  readonly mode: 'oauth' | 'api-key';
  readonly verifier: TokenVerifier;
  readonly tools: readonly ToolDefinition[];
  readonly authorization: AuthorizationDefinition;
  /** `dynamic`: a `tools/call` of `call_tool` is authorized as a call of the tool it names. As `resolveToolMode` decided it (main.ts); default `static`. */
  readonly toolMode?: ToolMode;
  /** RFC 9728 document and its URL (OAuth only; API keys have no discovery). */
  readonly resourceMetadata?: { readonly url: string; readonly document: Readonly<Record<string, unknown>> };
  readonly rolesClaim?: string;
  readonly policy?: Policy;
  readonly audit: AuditLog;
  readonly maxTokenBytes: number;
  /** Messages one 2025-03-26 JSON-RPC batch may hold (MCP_MAX_BATCH); default and ceiling 100, the SDK's own limit. */
  readonly maxBatch?: number;
  readonly log: (line: string) => void;
}

/** Key under `AuthInfo.extra` carrying the `Caller` to the per-request server factory. */
export const CALLER_KEY = 'openapi-to-mcp/caller';

/** The SDK refuses a larger batch whole; the gate refuses it first, so nothing in it is authorized or audited as allowed. */
export const MAX_BATCH = 100;

/**
 * The HTTP adapter of the authorization core: authenticates a request to
 * the MCP endpoint (`auth/authenticate`) and decides every `tools/call` in
 * it (`rbac/guard`) before the SDK sees it. A refusal is one `AuthError`,
 * answered by `authErrorResponse` and audited once; allowed calls are
 * audited where they execute (`invoke-tool`), so a call the SDK refuses is
 * never logged as allowed. With callbacks, not a promise: a token the
 * verifier recalls, a plain policy and a body already read make the whole
 * gate synchronous from the body's last chunk. Exactly one of `pass`,
 * `answered` (the gate refused and answered the request) or `fail` (an
 * unexpected error, nothing answered) is called.
 */
export function gateRequestInto(
  req: IncomingMessage,
  res: ServerResponse,
  auth: HttpAuth,
  maxBodyBytes: number,
  pass: (body: unknown, authInfo: AuthInfo) => void,
  answered: () => void,
  fail: (error: unknown) => void,
): void {
  // No closure per step: the steps are functions of the module, handed what they need.
  const settings = gateSettings(auth);
  let authenticated: Authenticated | Promise<Authenticated>;
  try {
    authenticated = authenticateNow(credentialHeaders(req), settings.authenticate);
  } catch (error) {
    refuseAuthentication(req, res, auth, settings, error, answered, fail);
    return;
  }
  if (authenticated instanceof Promise)
    authenticated.then(
      (known) => authorizeInto(req, res, auth, maxBodyBytes, known, pass, answered, fail),
      (error: unknown) => refuseAuthentication(req, res, auth, settings, error, answered, fail),
    );
  else authorizeInto(req, res, auth, maxBodyBytes, authenticated, pass, answered, fail);
}

/** What the gate derives from its `HttpAuth` once, not per request. */
interface GateSettings {
  readonly authenticate: AuthenticateOptions;
  readonly challenge: ChallengeSettings;
}

const settingsByAuth = new WeakMap<HttpAuth, GateSettings>();

function gateSettings(auth: HttpAuth): GateSettings {
  let settings = settingsByAuth.get(auth);
  if (settings === undefined) {
    settings = {
      authenticate: {
        verifier: auth.verifier,
        maxTokenBytes: auth.maxTokenBytes,
        apiKeyHeader: auth.mode === 'api-key',
      },
      challenge: challengeSettings(auth),
    };
    settingsByAuth.set(auth, settings);
  }
  return settings;
}

/** Who an audit line is about: the request's peer, and its principal once authenticated. */
function partyOf(req: IncomingMessage, principal?: Caller['principal']): AuditedParty {
  const remoteAddress = req.socket.remoteAddress;
  return {
    ...(principal ? { principal } : {}),
    transport: 'http',
    ...(remoteAddress ? { remoteAddress } : {}),
  };
}

function refuseAuthentication(
  req: IncomingMessage,
  res: ServerResponse,
  auth: HttpAuth,
  settings: GateSettings,
  error: unknown,
  answered: () => void,
  fail: (error: unknown) => void,
): void {
  // authenticateNow() turns every failure into an AuthError (unexpected ones as `unavailable`).
  if (!(error instanceof AuthError)) {
    fail(error);
    return;
  }
  try {
    if (error.code === 'unavailable')
      auth.log(JSON.stringify({ level: 'error', msg: 'authorization unavailable', error: error.description }));
    recordDecision(auth.audit, partyOf(req), { outcome: 'deny', reason: authenticationReason(error) });
    send(res, authErrorResponse(error, settings.challenge));
  } catch (failure) {
    fail(failure);
    return;
  }
  answered();
}

/**
 * Every step catches its own errors and hands them to `fail`; `pass` is called outside them, so an
 * error thrown by what runs after the gate is never mistaken for the gate's (nor answered twice).
 */
function authorizeInto(
  req: IncomingMessage,
  res: ServerResponse,
  auth: HttpAuth,
  maxBodyBytes: number,
  { principal, token }: Authenticated,
  pass: (body: unknown, authInfo: AuthInfo) => void,
  answered: () => void,
  fail: (error: unknown) => void,
): void {
  let caller: Caller;
  try {
    caller = callerOf(principal, auth.authorization, {
      transport: 'http',
      rolesClaim: auth.rolesClaim,
      remoteAddress: req.socket.remoteAddress,
    });
  } catch (error) {
    fail(error);
    return;
  }
  readMcpBodyInto(
    req,
    res,
    {
      maxBodyBytes,
      maxBatch: auth.maxBatch,
      onBatchRefused: (size, max) =>
        // Refused whole, before any call in it is decided: one audit line for the request.
        recordDecision(auth.audit, partyOf(req, principal), {
          outcome: 'deny',
          reason: `batch of ${size} messages exceeds the limit of ${max}`,
        }),
      log: auth.log,
    },
    (body) => {
      if (!body.ok) {
        answered();
        return;
      }
      let decided: CallsDecision | Promise<CallsDecision>;
      try {
        decided = authorizeCalls(callsIn(body.value, auth), caller, auth.policy);
      } catch (error) {
        fail(error);
        return;
      }
      // A plain policy decides at once: no tick spent awaiting a value.
      if (decided instanceof Promise)
        decided.then(
          (decision) => conclude(req, res, auth, token, caller, decision, body.value, pass, answered, fail),
          fail,
        );
      else conclude(req, res, auth, token, caller, decided, body.value, pass, answered, fail);
    },
    fail,
  );
}

/** Hands an allowed request on with its authorization, or refuses and answers it. */
function conclude(
  req: IncomingMessage,
  res: ServerResponse,
  auth: HttpAuth,
  token: string,
  caller: Caller,
  decision: CallsDecision,
  body: unknown,
  pass: (body: unknown, authInfo: AuthInfo) => void,
  answered: () => void,
  fail: (error: unknown) => void,
): void {
  let authInfo: AuthInfo | undefined;
  try {
    authInfo = admit(req, res, auth, token, caller, decision, body);
  } catch (error) {
    fail(error);
    return;
  }
  if (authInfo) pass(body, authInfo);
  else answered();
}

/** The request's authorization once every call in it is decided; `undefined` when it was refused and answered. */
function admit(
  req: IncomingMessage,
  res: ServerResponse,
  auth: HttpAuth,
  token: string,
  caller: Caller,
  decision: CallsDecision,
  body: unknown,
): AuthInfo | undefined {
  const { principal } = caller;
  if (!decision.allow) {
    recordDecision(auth.audit, partyOf(req, principal), {
      tool: decision.tool,
      outcome: 'deny',
      reason: decision.reason,
    });
    send(res, authErrorResponse(decision.error, gateSettings(auth).challenge, idOf(body)));
    return undefined;
  }
  // Optional fields assigned rather than spread: this runs on every authorized request. The scopes
  // and `extra` are the caller's, made once per caller (frozen: shared by its requests).
  const shared = authInfoParts(caller);
  const authInfo: { -readonly [K in keyof AuthInfo]: AuthInfo[K] } = {
    token,
    clientId: principal.clientId ?? '',
    scopes: shared.scopes,
    extra: shared.extra,
  };
  if (principal.expiresAt !== undefined) authInfo.expiresAt = principal.expiresAt;
  if (auth.resourceMetadata) authInfo.resourceMetadataUrl = auth.resourceMetadata.url;
  return authInfo;
}

/** The parts of `AuthInfo` that depend only on the caller (never the token). */
interface AuthInfoParts {
  readonly scopes: string[];
  readonly extra: Record<string, unknown>;
}

const partsByCaller = new WeakMap<Caller, AuthInfoParts>();

function authInfoParts(caller: Caller): AuthInfoParts {
  let parts = partsByCaller.get(caller);
  if (parts === undefined) {
    parts = {
      // Frozen, typed as the SDK types them: nothing in the request path changes them.
      scopes: Object.freeze([...caller.principal.scopes]) as string[],
      extra: Object.freeze({ [CALLER_KEY]: caller }),
    };
    partsByCaller.set(caller, parts);
  }
  return parts;
}

/** A request's JSON-RPC body, or `ok: false` when the request was refused and answered. */
export type McpBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/**
 * Reads the JSON-RPC body of a request to the MCP endpoint (POST; other
 * methods have none) and refuses a batch of more than `maxBatch` messages
 * with one JSON-RPC error, before anything in it runs. Calls `done` with
 * `ok: false` when it answered the request itself.
 */
export function readMcpBodyInto(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    readonly maxBodyBytes: number;
    readonly maxBatch?: number;
    readonly onBatchRefused?: ((size: number, max: number) => void) | undefined;
    readonly log?: ((line: string) => void) | undefined;
  },
  done: (body: McpBody) => void,
  fail: (error: Error) => void,
): void {
  if (req.method !== 'POST') {
    done({ ok: true, value: undefined });
    return;
  }
  readJsonBodyInto(
    req,
    options.maxBodyBytes,
    (body) => {
      if (!body.ok) {
        // A refused body (not JSON, nested too deep, too large) is logged, never answered silently.
        const remoteAddress = req.socket.remoteAddress;
        options.log?.(
          JSON.stringify({
            level: 'warn',
            msg: 'bad request',
            status: body.status,
            reason: body.message,
            ...(remoteAddress ? { remoteAddress } : {}),
          }),
        );
        send(res, rpcError(body.status, body.status === 400 ? -32700 : -32600, body.message));
        done({ ok: false });
        return;
      }
      const max = Math.min(options.maxBatch ?? MAX_BATCH, MAX_BATCH);
      if (Array.isArray(body.value) && body.value.length > max) {
        options.onBatchRefused?.(body.value.length, max);
        send(res, rpcError(400, -32600, `Invalid Request: a batch holds at most ${max} messages`));
        done({ ok: false });
        return;
      }
      done(body);
    },
    fail,
  );
}

/** Every occurrence of the credential headers: Node keeps only the first `Authorization` in `req.headers`. */
export function credentialHeaders(req: Pick<IncomingMessage, 'rawHeaders'>): CredentialHeaders {
  // Every occurrence of the two headers, as `headersDistinct` lists them, without building that
  // getter's arrays for all of the request's headers: repeated credentials must stay visible (RFC 6750 §2).
  let authorization: string[] | undefined;
  let apiKey: string[] | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // Both names are 13 and 9 characters long: most headers are passed over without lower-casing.
    if (name.length === 13 && name.toLowerCase() === 'authorization') (authorization ??= []).push(raw[i + 1]!);
    else if (name.length === 9 && name.toLowerCase() === 'x-api-key') (apiKey ??= []).push(raw[i + 1]!);
  }
  // A header a request does not carry is one shared empty list, not an array per request.
  return { authorization: authorization ?? NO_VALUES, apiKey: apiKey ?? NO_VALUES };
}

const NO_VALUES: readonly string[] = Object.freeze([]);

/** The tool calls of a message, each with the tool it runs. Unknown tools are the SDK's (or `call_tool`'s) to answer: nothing to authorize. */
function callsIn(body: unknown, auth: HttpAuth): ToolCall[] {
  const byName = toolIndex(auth.tools);
  const calls: ToolCall[] = [];
  for (const outer of toolCallsIn(body)) {
    // Dynamic mode: `call_tool` is authorized against the tool it runs, exactly as a direct call of it.
    const call = toolCallTarget(outer, auth.toolMode ?? DEFAULT_TOOL_MODE);
    const tool = call && typeof call.name === 'string' ? byName.get(call.name) : undefined;
    if (!call || !tool) continue;
    const args =
      call.arguments !== null && typeof call.arguments === 'object' && !Array.isArray(call.arguments)
        ? (call.arguments as Record<string, unknown>)
        : {};
    calls.push({ tool, args });
  }
  return calls;
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

function challengeSettings(auth: HttpAuth): ChallengeSettings {
  return {
    ...(auth.resourceMetadata ? { resourceMetadataUrl: auth.resourceMetadata.url } : {}),
    scopesSupported: auth.authorization.scopesSupported,
  };
}

/** The audit reason of a refused authentication (names and descriptions only: never the credential). */
function authenticationReason(error: AuthError): string {
  switch (error.code) {
    case 'credential_missing':
      return 'no credential';
    case 'unavailable':
      return 'authorization unavailable';
    case 'invalid_request':
      return `invalid request: ${error.description}`;
    default:
      return `invalid token: ${error.description}`;
  }
}

/** The id of a single JSON-RPC request, for the error answering it; a batch or a notification has none. */
function idOf(body: unknown): string | number | null {
  const id =
    body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function rpcError(status: number, code: number, message: string): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }),
  };
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  flushPendingStderr();
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
