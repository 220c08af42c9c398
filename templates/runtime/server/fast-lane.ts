import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS, isJsonContentType } from '@modelcontextprotocol/server';
import type { AuthInfo, CallToolResult } from '@modelcontextprotocol/server';
import { attachedJson } from '../http/compact-json.js';
import { createLentController } from '../http/abort-hooks.js';
import type { FastTools } from './fast-tools.js';
import { InvalidCursorError } from './tool-list-pages.js';
import type { ToolListPage } from './tool-list-pages.js';

/**
 * The hot requests of a stateless 2025-era client, answered without the
 * SDK's web-standard handler: one `tools/call`, `tools/list` or `ping`
 * POSTed with exactly the headers and shape the SDK would serve on its
 * 2025-era (legacy stateless) leg. `fastRequestOf` recognises them;
 * anything else (initialize, notifications, batches, the 2026-07-28 era,
 * GET/DELETE, a header or field it does not expect) is `undefined` and goes
 * to the SDK unchanged, which also answers every refusal (406, 415, 400).
 * The answer is what that leg sends: HTTP 200, one SSE `message` event
 * holding the JSON-RPC response (the SDK's stateless transport answers a
 * POST with SSE; no event store, so no priming event).
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 */
export type FastRequest =
  | {
      readonly method: 'tools/call';
      readonly id: string | number;
      readonly params: { readonly name: string; readonly arguments?: Record<string, unknown> };
    }
  | { readonly method: 'tools/list'; readonly id: string | number; readonly cursor?: string }
  | { readonly method: 'ping'; readonly id: string | number };

/** The first revision of the 2026-07-28 era: its requests carry a `_meta` envelope and are the SDK's to serve. */
const FIRST_MODERN_REVISION = '2026-07-28';
/** `MCP-Protocol-Version` values the SDK's stateless transport accepts on its 2025-era leg. */
const LEGACY_VERSIONS: ReadonlySet<string> = new Set(
  SUPPORTED_PROTOCOL_VERSIONS.filter((v) => v < FIRST_MODERN_REVISION),
);
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['jsonrpc', 'id', 'method', 'params']);

/** Headers of the SDK transport's SSE answer to a POST, in the flat form `writeHead` takes. */
const SSE_HEADERS = [
  'content-type',
  'text/event-stream',
  'cache-control',
  'no-cache, no-transform',
  'connection',
  'keep-alive',
  'x-accel-buffering',
  'no',
] as const;

/** The request, when the fast lane answers it exactly as the SDK would; `undefined`: the SDK's. */
export function fastRequestOf(req: IncomingMessage, body: unknown): FastRequest | undefined {
  if (req.method !== 'POST') return undefined;
  const { headers } = req;
  // The SDK answers 415 and 406 itself; an era or cross-check header is its to judge.
  if (!isJsonContentType(headers['content-type'])) return undefined;
  const accept = headers.accept;
  if (accept === undefined || !accept.includes('application/json') || !accept.includes('text/event-stream'))
    return undefined;
  const version = headers['mcp-protocol-version'];
  if (version !== undefined && (typeof version !== 'string' || !LEGACY_VERSIONS.has(version))) return undefined;
  if (headers['mcp-method'] !== undefined || headers['mcp-name'] !== undefined) return undefined;
  if (headers['mcp-session-id'] !== undefined) return undefined;

  if (!isPlainObject(body)) return undefined;
  for (const key in body) if (!ENVELOPE_KEYS.has(key)) return undefined;
  const { id, method, params } = body;
  if (body.jsonrpc !== '2.0' || !isRequestId(id)) return undefined;
  if (params !== undefined && !isPlainObject(params)) return undefined;
  switch (method) {
    case 'tools/call': {
      if (!params || !onlyKeys(params, CALL_KEYS) || typeof params.name !== 'string') return undefined;
      const args = params.arguments;
      if (args === undefined) return { method, id, params: { name: params.name } };
      // `__proto__` as an argument name: the SDK's schema copies the object; leave that to it.
      if (!isPlainObject(args) || Object.hasOwn(args, '__proto__')) return undefined;
      return { method, id, params: { name: params.name, arguments: args } };
    }
    case 'tools/list': {
      if (
        params &&
        (!onlyKeys(params, LIST_KEYS) || (params.cursor !== undefined && typeof params.cursor !== 'string'))
      )
        return undefined;
      const cursor = params?.cursor as string | undefined;
      return cursor === undefined ? { method, id } : { method, id, cursor };
    }
    case 'ping':
      return params && !onlyKeys(params, NO_KEYS) ? undefined : { method, id };
    default:
      return undefined;
  }
}

/**
 * Answers a request `fastRequestOf` accepted, as the SDK's 2025-era leg
 * would; returns `false` (nothing written) when the SDK must answer after
 * all (an invalid cursor, a page whose output schemas the 2025 codec rewrites).
 * A `tools/call` is always answered here: its promise settles once the answer
 * is written (it rejects only when writing it failed).
 */
export function answerFast(
  tools: FastTools,
  request: FastRequest,
  res: ServerResponse,
  authInfo: AuthInfo | undefined,
): boolean | Promise<void> {
  // Not async: a tools/call's own promise is handed on (no promise resolved with a promise, two
  // ticks per call), and ping and tools/list answer at once.
  switch (request.method) {
    case 'ping':
      send(res, `{"result":{},"jsonrpc":"2.0","id":${JSON.stringify(request.id)}}`);
      return true;
    case 'tools/list': {
      const result = listedJson(tools, request.cursor, authInfo);
      if (result === undefined) return false;
      send(res, `{"result":${result},"jsonrpc":"2.0","id":${JSON.stringify(request.id)}}`);
      return true;
    }
    case 'tools/call':
      return callTool(tools, request, res, authInfo);
  }
}

function callTool(
  tools: FastTools,
  request: Extract<FastRequest, { method: 'tools/call' }>,
  res: ServerResponse,
  authInfo: AuthInfo | undefined,
): Promise<void> {
  // The SDK aborts a handler when its client goes away; so does this. The signal is lent to the
  // upstream call, which aborts it on its deadline too: a client gone is told by `gone` alone.
  const abort = createLentController();
  let gone = false;
  // 'close' comes once; the listener stays (no removal per call) and does nothing after the answer.
  res.on('close', () => {
    if (res.writableFinished) return;
    gone = true;
    abort.abort();
  });
  const { id } = request;
  // A client that went away gets no answer, as from the SDK.
  const answer = (message: string): void => {
    if (!gone && !res.destroyed) send(res, message);
  };
  // Not async: one `then` on the call's own promise, no async frame per call. A failure to write
  // the answer rejects, as before; a failed call or result is answered as a JSON-RPC error.
  let called: Promise<CallToolResult>;
  try {
    called = tools.call(request.params, authInfo, abort.signal);
  } catch (error) {
    called = Promise.reject(error);
  }
  return called.then(
    (result) => {
      let message: string;
      try {
        message = resultMessage(result, id);
      } catch (error) {
        message = errorMessage(id, error);
      }
      answer(message);
    },
    (error: unknown) => answer(errorMessage(id, error)),
  );
}

function errorMessage(id: string | number, error: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: errorOf(error) });
}

/**
 * The JSON-RPC response holding `result`, as `JSON.stringify` would write it.
 * A structured result shaped from an upstream JSON body carries the JSON of
 * its `structuredContent` (compact-json.ts): it is spliced in, not written a
 * second time.
 */
export function resultMessage(result: CallToolResult, id: string | number): string {
  const structured = result.structuredContent;
  const json =
    typeof structured === 'object' && structured !== null && contentThenStructured(result)
      ? attachedJson(structured)
      : undefined;
  if (json === undefined) return JSON.stringify({ result, jsonrpc: '2.0', id });
  const content = JSON.stringify(result.content);
  return `{"result":{"content":${content},"structuredContent":${json}},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
}

/** Whether `result`'s keys are exactly `content` then `structuredContent`, the order `JSON.stringify` writes them in. */
function contentThenStructured(result: CallToolResult): boolean {
  let at = 0;
  for (const key in result) {
    if (key !== (at === 0 ? 'content' : at === 1 ? 'structuredContent' : undefined)) return false;
    at++;
  }
  return at === 2 && Array.isArray(result.content);
}

/** The JSON-RPC error the SDK's protocol layer makes of a handler's throw (2025 codec: -32002 is sent as -32602). */
function errorOf(error: unknown): { code: number; message: string; data?: unknown } {
  const e = (error ?? {}) as { code?: unknown; message?: string; data?: unknown };
  const thrown = typeof e.code === 'number' && Number.isSafeInteger(e.code) ? e.code : -32603;
  return {
    code: thrown === -32002 ? -32602 : thrown,
    message: e.message ?? 'Internal error',
    ...(e.data !== undefined ? { data: e.data } : {}),
  };
}

/** Serialized `tools/list` results, once per page (pages are shared by every caller of a visibility class). */
const pageJson = new WeakMap<ToolListPage, string | null>();

function listedJson(tools: FastTools, cursor: string | undefined, authInfo: AuthInfo | undefined): string | undefined {
  let page: ToolListPage;
  try {
    page = tools.list(cursor, authInfo);
  } catch (error) {
    if (error instanceof InvalidCursorError) return undefined;
    throw error;
  }
  let json = pageJson.get(page);
  if (json === undefined) {
    // The 2025 codec wraps an output schema whose root is not an object; such a page is the SDK's to encode.
    json = page.tools.every(objectRootedOutput) ? JSON.stringify(page) : null;
    pageJson.set(page, json);
  }
  return json ?? undefined;
}

function objectRootedOutput(tool: Readonly<Record<string, unknown>>): boolean {
  const schema = tool.outputSchema;
  return schema === undefined || (isPlainObject(schema) && schema.type === 'object');
}

/** One SSE event, written whole: with its length known, Node need not chunk it. */
function send(res: ServerResponse, message: string): void {
  const event = `event: message\ndata: ${message}\n\n`;
  // A flat header list: no object spread and no key walk per answer.
  res.writeHead(200, [...SSE_HEADERS, 'content-length', String(Buffer.byteLength(event))]).end(event);
}

/** JSON-RPC ids the SDK accepts: a string or a safe integer. */
function isRequestId(id: unknown): id is string | number {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const key in value) if (!allowed.includes(key)) return false;
  return true;
}

/** The `params` members each method may carry (no array per request). */
const CALL_KEYS: readonly string[] = ['name', 'arguments'];
const LIST_KEYS: readonly string[] = ['cursor'];
const NO_KEYS: readonly string[] = [];
