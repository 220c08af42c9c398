import type { SecuritySchemeDefinition, ToolDefinition } from '../mcp/types.js';
import { createHookedController, lentController, onAbort } from './abort-hooks.js';
import { encodeBody, type EncodedBody } from './encode-body.js';
import { encodeCookieComponent, encodeQueryComponent } from './percent-encode.js';
import { serializeParameters, type ReservedNames } from './serialize-parameters.js';
import { shapeResponse } from './shape-response.js';
import { REDACTED, redactToolResult } from './secret-redactor.js';
import { errorResult, type ToolResult } from './tool-result.js';
import { createUpstreamAuth, type UpstreamAuth, type UpstreamCallContext } from './upstream-auth.js';
import {
  credentialVariable,
  NO_CREDENTIALS,
  resolveCredentialsNow,
  type CredentialEnv,
  type CredentialResolution,
} from './upstream-credentials.js';
import {
  createKeepAliveClient,
  fetchClient,
  type KeepAliveClient,
  type UpstreamClient,
  type UpstreamReply,
  type UpstreamRequest,
} from './upstream-client.js';
import { UpstreamError } from './upstream-error.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
const NO_SECRETS: readonly string[] = Object.freeze([]);
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export interface UpstreamOptions {
  /** Absolute http(s) URL fixed by configuration; every request stays under its origin and path. */
  readonly baseUrl: string;
  /** Covers connecting, waiting and reading the body. Default {@link DEFAULT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  readonly maxResponseBytes?: number;
  readonly schemes: Readonly<Record<string, SecuritySchemeDefinition>>;
  readonly env: CredentialEnv;
  /**
   * The server's upstream OAuth flows and token cache: create it once per
   * server with `createUpstreamAuth`. Without it each call reads the OAuth
   * settings afresh and caches no token.
   */
  readonly auth?: UpstreamAuth;
  /**
   * Sends the requests; default: one keep-alive (undici) client shared by
   * the process ({@link defaultUpstreamClient}), or `fetch` when given.
   */
  readonly client?: UpstreamClient;
  /** For tests: send through this `fetch` instead (token endpoints use it too). */
  readonly fetch?: typeof fetch;
  readonly userAgent?: string;
  /**
   * Operator log (JSON lines on stderr). Credential problems (a token endpoint refusing the
   * server's client, discovery failing) are the operator's to fix, not only the caller's to see.
   */
  readonly log?: (line: string) => void;
}

/**
 * Parses the configured base URL: an absolute `http:`/`https:` URL without
 * userinfo, query or fragment, since each would be lost or leak when joined.
 * Call it at start-up so that a bad configuration fails at once.
 * @throws {UpstreamError} `invalid_base_url`.
 */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new UpstreamError('invalid_base_url', 'the upstream base URL is not an absolute URL', { cause });
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new UpstreamError(
      'invalid_base_url',
      'the upstream base URL must be http(s) without credentials, query or fragment',
    );
  }
  return url;
}

/**
 * Joins the base URL, an encoded path and an encoded query, and asserts that
 * the result keeps the base's origin and path prefix (RFC 3986 §5.2.4 dot
 * segments are already rejected; this is the last line of defence).
 * @throws {UpstreamError} `invalid_base_url`, `base_url_escape`.
 */
export function resolveRequestUrl(baseUrl: string, path: string, query: string): URL {
  const { origin, prefix } = baseOf(baseUrl);
  const url = new URL(`${origin}${prefix}${path}${query === '' ? '' : `?${query}`}`);
  if (url.origin !== origin || (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`))) {
    throw new UpstreamError('base_url_escape', 'the request path leaves the configured upstream base URL');
  }
  return url;
}

/** The base URL's origin and path prefix (no trailing slash), parsed once per distinct base. */
interface ParsedBase {
  readonly origin: string;
  readonly prefix: string;
}

/** A server has one base URL (a few in tests): bounded so that no input can grow it without end. */
const MAX_PARSED_BASES = 16;
const parsedBases = new Map<string, ParsedBase>();

/** `parseBaseUrl` once per base URL string: parsing a URL per call is a measurable part of its CPU. */
function baseOf(baseUrl: string): ParsedBase {
  let parsed = parsedBases.get(baseUrl);
  if (parsed === undefined) {
    const base = parseBaseUrl(baseUrl);
    parsed = { origin: base.origin, prefix: base.pathname.replace(/\/+$/, '') };
    if (parsedBases.size >= MAX_PARSED_BASES) parsedBases.clear();
    parsedBases.set(baseUrl, parsed);
  }
  return parsed;
}

/**
 * Calls the upstream operation of `tool` with validated arguments and shapes
 * the response into a tool result. Credentials come only from the server's
 * configuration via the tool's `security`: nothing from the inbound MCP
 * request (in particular its `Authorization`) is ever forwarded. With RFC
 * 8693 token exchange configured, `context.subjectToken` is sent to the
 * upstream's token endpoint, never to the upstream API. Redirects are not
 * followed, so credentials never reach another origin. Errors become
 * `isError` results whose messages hold neither credentials nor the query.
 *
 * A 401 to a token from a token endpoint drops that token from the cache and
 * retries once with a fresh one (the token may have been revoked early).
 */
export function callUpstream(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  options: UpstreamOptions,
  context: UpstreamCallContext = {},
): Promise<ToolResult> {
  // Not async: each attempt chains the request's own promise, no async frame per call. As from an
  // async function, a failure is a rejected promise, never a throw into the caller.
  try {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    let auth: UpstreamAuth;
    try {
      auth =
        options.auth ??
        createUpstreamAuth(options.schemes, options.env, {
          baseUrl: options.baseUrl,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
    } catch (error) {
      // Configuration messages name variables, never values.
      if (error instanceof UpstreamError)
        return Promise.resolve(errorResult(`Cannot call ${tool.name}: ${error.message}`));
      throw error;
    }
    const callSecrets = context.subjectToken ? [context.subjectToken] : NO_SECRETS;
    return attemptCall({ tool, args, options, context, auth, timeoutMs, maxBytes, callSecrets }, 1);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What every attempt of one call shares. */
interface UpstreamCall {
  readonly tool: ToolDefinition;
  readonly args: Record<string, unknown>;
  readonly options: UpstreamOptions;
  readonly context: UpstreamCallContext;
  readonly auth: UpstreamAuth;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** The caller's token (token exchange), redacted from every message. */
  readonly callSecrets: readonly string[];
}

/** One attempt: credentials (a token fetch is the only wait), the request, its answer. */
function attemptCall(call: UpstreamCall, attempt: number): Promise<ToolResult> {
  const { tool, options, context, auth } = call;
  let resolved: CredentialResolution | Promise<CredentialResolution>;
  try {
    // A public operation needs nothing, and static credentials no promise: only a token fetch is awaited.
    resolved =
      tool.security.length === 0
        ? NO_CREDENTIALS
        : resolveCredentialsNow(tool.security, options.schemes, options.env, { ...context, auth });
  } catch (error) {
    return settle(() => notPrepared(call, error));
  }
  if (resolved instanceof Promise)
    return resolved.then(
      (credentials) => sendAttempt(call, credentials, attempt),
      (error: unknown) => notPrepared(call, error),
    );
  return sendAttempt(call, resolved, attempt);
}

function sendAttempt(call: UpstreamCall, credentials: CredentialResolution, attempt: number): Promise<ToolResult> {
  const { tool, args, options, context, timeoutMs, maxBytes, callSecrets } = call;
  let url: URL;
  let init: Pick<UpstreamRequest, 'method' | 'headers' | 'body'>;
  try {
    if (!credentials.satisfied && credentials.blocked)
      return Promise.resolve(cannot(call, blockedReason(credentials.blocked, options)));
    ({ url, init } = prepareRequest(tool, args, options, credentials));
  } catch (error) {
    return settle(() => notPrepared(call, error));
  }

  // The configured origin, which `resolveRequestUrl` asserted the URL keeps (no getter per call).
  const { origin } = baseOf(options.baseUrl);
  const deadline = new CallDeadline(timeoutMs, context.signal);
  const { signal } = deadline;
  // This call's own secrets: its tokens (the redactor keeps only recent ones) and the query as sent.
  const secrets =
    !credentials.satisfied || credentials.secrets.length === 0
      ? callSecrets
      : callSecrets.length === 0
        ? credentials.secrets
        : [...callSecrets, ...credentials.secrets];
  const failed = (error: unknown): ToolResult => {
    try {
      const reason = deadline.timedOut()
        ? `timed out after ${timeoutMs} ms`
        : signal.aborted
          ? 'cancelled'
          : describe(error);
      const message = `Upstream request ${init.method} ${origin}${url.pathname} failed: ${reason}`;
      // The query may hold a caller's or the server's values: never in a message.
      return errorResult(
        call.auth.redactor.redact(url.search === '' ? message : message.replaceAll(url.search, REDACTED), secrets),
      );
    } finally {
      deadline.done();
    }
  };
  let sent: Promise<UpstreamReply>;
  try {
    const send = options.client ?? (options.fetch ? fetchClient(options.fetch) : defaultUpstreamClient());
    sent = send({ method: init.method, headers: init.headers, body: init.body, url, signal, maxBytes });
  } catch (error) {
    return settle(() => failed(error));
  }
  return sent.then((response) => {
    let result: ToolResult;
    try {
      if (response.status === 401 && credentials.satisfied && credentials.discard && attempt === 1) {
        credentials.discard();
        deadline.done();
        return attemptCall(call, attempt + 1);
      }
      result = shapeResponse(tool, {
        status: response.status,
        statusText: response.statusText,
        contentType: response.contentType,
        location: response.location,
        body: response.body,
        maxBytes,
        url: `${origin}${url.pathname}`,
      });
      if (!credentials.satisfied && (response.status === 401 || response.status === 403)) {
        result.content.push({
          type: 'text',
          text: `No upstream credentials are configured; set ${credentials.missing.join(' or ') || 'a supported security scheme'}.`,
        });
      }
      result = redactToolResult(result, call.auth.redactor, secrets, response.body.bytes);
    } catch (error) {
      return failed(error);
    }
    deadline.done();
    return result;
  }, failed);
}

/** `make()`'s result as a promise: resolved with what it returns, rejected with what it throws. */
function settle(make: () => ToolResult): Promise<ToolResult> {
  try {
    return Promise.resolve(make());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `Cannot call <tool>: <reason>`, with the call's secrets redacted. */
function cannot(call: UpstreamCall, reason: string): ToolResult {
  return errorResult(call.auth.redactor.redact(`Cannot call ${call.tool.name}: ${reason}`, call.callSecrets));
}

/**
 * Credentials or the request could not be made: an `UpstreamError` is the
 * caller's to read (and a token endpoint's failure the operator's too); a
 * cancelled call says so; anything else is a bug, thrown on.
 */
function notPrepared(call: UpstreamCall, error: unknown): ToolResult {
  const { tool, options, context, auth, callSecrets } = call;
  if (error instanceof UpstreamError) {
    if (error.code === 'token_request_failed' || error.code === 'invalid_token_url') {
      // The message names the scheme and the OAuth error code only, never a secret or token.
      options.log?.(
        auth.redactor.redact(
          JSON.stringify({
            level: 'warn',
            msg: 'upstream credentials',
            tool: tool.name,
            code: error.code,
            error: error.message,
          }),
          callSecrets,
        ),
      );
    }
    return cannot(call, error.message);
  }
  if (context.signal?.aborted) return cannot(call, 'the call was cancelled');
  throw error;
}

/**
 * One upstream attempt's signal: aborted after `timeoutMs` or when the MCP
 * request is cancelled (`cancel`). One controller and one timer, released by
 * `done`: `AbortSignal.any` over `AbortSignal.timeout` cost two signals and
 * weak references per call, a large part of the garbage of a busy server.
 * A signal lent to this call (abort-hooks.ts `createLentController`, the
 * fast lane's) is that controller itself: the deadline aborts it directly.
 */
class CallDeadline {
  readonly signal: AbortSignal;
  private expired = false;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly stopCancel: (() => void) | undefined;

  constructor(timeoutMs: number, cancel: AbortSignal | undefined) {
    const lent = lentController(cancel);
    const controller = lent ?? createHookedController();
    this.signal = controller.signal;
    this.timer = setTimeout(() => {
      this.expired = true;
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, timeoutMs);
    // Like AbortSignal.timeout: a pending call does not keep the process alive.
    this.timer.unref();
    if (lent !== undefined || cancel === undefined) return;
    const onCancel = () => controller.abort(cancel.reason);
    if (cancel.aborted) onCancel();
    else this.stopCancel = onAbort(cancel, onCancel);
  }

  timedOut(): boolean {
    return this.expired;
  }

  done(): void {
    clearTimeout(this.timer);
    this.stopCancel?.();
  }
}

/** Token exchange configured, but no caller token to exchange: fail closed rather than call without credentials. */
function blockedReason(blocked: readonly string[], options: UpstreamOptions): string {
  const names = blocked.map((name) => {
    const def = Object.hasOwn(options.schemes, name) ? options.schemes[name] : undefined;
    return def ? `"${name}" (${credentialVariable(def.env, 'TOKEN_EXCHANGE')}=true)` : `"${name}"`;
  });
  return `upstream scheme ${names.join(', ')} exchanges the caller's OAuth access token for an upstream token, and this call has none (stdio or API-key authentication)`;
}

let shared: KeepAliveClient | undefined;

/**
 * The process-wide keep-alive client used when `UpstreamOptions.client` is
 * not set: one connection pool per upstream origin, like fetch's global
 * dispatcher. Idle sockets do not keep the process alive.
 */
export function defaultUpstreamClient(): UpstreamClient {
  shared ??= createKeepAliveClient();
  return shared.send;
}

function prepareRequest(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  options: UpstreamOptions,
  credentials: CredentialResolution,
): { url: URL; init: Pick<UpstreamRequest, 'method' | 'headers' | 'body'> } {
  const reserved = reservedNames(tool, options.schemes, credentials);
  const params = serializeParameters(tool.http, args, reserved);
  const bodyValue =
    tool.http.body && Object.hasOwn(args, tool.http.body.argument) ? args[tool.http.body.argument] : undefined;
  if (tool.http.body?.encoding === 'form' || tool.http.body?.encoding === 'multipart')
    assertNoCredentialField(bodyValue, reserved);
  const body: EncodedBody = tool.http.body === undefined ? { body: undefined } : encodeBody(tool.http.body, bodyValue);
  let query = params.query;
  let cookie = params.cookies;
  const headers = headerRecord(params.headers);
  headers['accept'] = tool.http.accept ?? 'application/json';
  if (options.userAgent !== undefined) headers['user-agent'] = options.userAgent;
  if (body.contentType !== undefined) headers['content-type'] = body.contentType;
  if (credentials.satisfied) {
    for (const name in credentials.headers) headers[name.toLowerCase()] = credentials.headers[name]!;
    for (const [name, value] of credentials.query)
      query = joined(query, `${encodeQueryComponent(name)}=${encodeQueryComponent(value)}`, '&');
    for (const [name, value] of credentials.cookies) {
      const pair = `${encodeCookieComponent(name, 'a cookie name')}=${encodeCookieComponent(value, `cookie ${name}`)}`;
      cookie = joined(cookie, pair, '; ');
    }
  }
  if (cookie !== '') headers['cookie'] = cookie;
  const url = resolveRequestUrl(options.baseUrl, params.path, query);
  return { url, init: { method: tool.http.method, headers, body: body.body } };
}

/** `head` and `next` joined by `separator`, leaving out an empty part. */
function joined(head: string, next: string, separator: string): string {
  if (head === '') return next;
  return next === '' ? head : `${head}${separator}${next}`;
}

/**
 * Header parameters as a plain record with lower-case names, as `new
 * Headers(record)` would hold them (names differing only in case are
 * combined, RFC 9110 §5.3), without undici's `Headers` per call. Names and
 * values were checked when serialized, and node:http checks them again
 * before anything is sent.
 */
function headerRecord(params: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name in params) {
    const lower = name.toLowerCase();
    const value = params[name]!;
    const seen = headers[lower];
    headers[lower] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return headers;
}

/**
 * The names the server's credentials may occupy on this tool's requests:
 * every apiKey scheme any alternative of its `security` names (whether or not
 * its key is configured, so a caller can never fill the slot of a missing
 * key), and whatever the chosen credentials actually add.
 */
function reservedNames(
  tool: ToolDefinition,
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  credentials: CredentialResolution,
): ReservedNames {
  const declared = declaredNames(tool, schemes);
  if (!credentials.satisfied) return declared;
  const added = {
    header: Object.keys(credentials.headers).map((n) => n.toLowerCase()),
    query: credentials.query.map(([n]) => n.toLowerCase()),
    cookie: credentials.cookies.map(([n]) => n.toLowerCase()),
  };
  // Usually the credentials sit exactly where the declared schemes say: nothing to copy.
  if ((['header', 'query', 'cookie'] as const).every((at) => added[at].every((n) => declared[at].has(n))))
    return declared;
  return {
    query: new Set([...declared.query, ...added.query]),
    cookie: new Set([...declared.cookie, ...added.cookie]),
    header: new Set([...declared.header, ...added.header]),
  };
}

const declaredByTool = new WeakMap<
  Readonly<Record<string, SecuritySchemeDefinition>>,
  WeakMap<ToolDefinition, ReservedNames>
>();

/** The apiKey names a tool's `security` declares, computed once per tool (they never change while serving). */
function declaredNames(
  tool: ToolDefinition,
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
): ReservedNames {
  let byTool = declaredByTool.get(schemes);
  if (!byTool) {
    byTool = new WeakMap();
    declaredByTool.set(schemes, byTool);
  }
  let declared = byTool.get(tool);
  if (!declared) {
    const names = { query: new Set<string>(), cookie: new Set<string>(), header: new Set<string>() };
    for (const alternative of tool.security) {
      for (const { scheme } of alternative) {
        const def = Object.hasOwn(schemes, scheme) ? schemes[scheme] : undefined;
        if (def?.type === 'apiKey') names[def.in].add(def.name.toLowerCase());
      }
    }
    declared = names;
    byTool.set(tool, declared);
  }
  return declared;
}

/**
 * Form and multipart fields are request parameters too for frameworks that
 * merge them with the query (PHP's `$_REQUEST`, Rails' `params`), where the
 * body wins: a field named like a query or cookie credential would shadow it.
 * Not checked: JSON bodies, whose property names are the API's own data.
 */
function assertNoCredentialField(value: unknown, reserved: ReservedNames): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    const name = key.toLowerCase();
    if (reserved.query.has(name) || reserved.cookie.has(name)) {
      throw new UpstreamError(
        'reserved_name',
        `the body field ${JSON.stringify(key)} would shadow the server's own credential`,
      );
    }
  }
}

/** The most specific reason a request failed (e.g. `ECONNREFUSED`), without the URLs node and undici put in messages. */
function describe(error: unknown): string {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : 'unknown error';
}
