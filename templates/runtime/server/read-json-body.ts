import type { IncomingMessage } from 'node:http';
import { collectStreamInto } from '../http/collect-stream.js';

export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

/**
 * How deep a request body may nest. Far beyond any tool's arguments (the JSON-RPC envelope
 * takes four levels), far below what overflows the stack of whatever walks the value next
 * (`JSON.stringify` in the SDK adapter failed at ~5,000 levels with an unlogged 500).
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Reads a request body up to `maxBytes` and parses it as JSON. The
 * authorization gate must see a `tools/call` before the SDK does, so the
 * body is read here (and handed to the SDK parsed); the SDK's own size limit
 * only applies when it reads the stream itself, hence the limit here.
 * Rejects only when the stream fails (an error, or closed before its end).
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  return new Promise((resolve, reject) => readJsonBodyInto(req, maxBytes, resolve, reject));
}

/**
 * {@link readJsonBody} with callbacks, for the request path (http-server.ts): no promise and no
 * tick between the last chunk of a body and the handler that serves it.
 */
export function readJsonBodyInto(
  req: IncomingMessage,
  maxBytes: number,
  done: (body: JsonBody) => void,
  fail: (error: Error) => void,
): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    done(tooLarge(maxBytes));
    return;
  }
  // Past the limit the rest is drained, so that the 413 still reaches the client.
  collectStreamInto(
    req,
    maxBytes,
    () => req.resume(),
    ({ bytes, overflowed }) => {
      done(overflowed ? tooLarge(maxBytes) : parsed(bytes.toString('utf8')));
    },
    fail,
  );
}

function tooLarge(maxBytes: number): JsonBody {
  return { ok: false, status: 413, message: `request body larger than ${maxBytes} bytes` };
}

function parsed(text: string): JsonBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, message: 'request body is not valid JSON' };
  }
  // In valid JSON each level opens and closes a bracket: a text of at most 2 x MAX_JSON_DEPTH
  // characters cannot nest deeper, and most requests are that short.
  if (text.length > 2 * MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH)
    return { ok: false, status: 400, message: `request body nests deeper than ${MAX_JSON_DEPTH} levels` };
  return { ok: true, value };
}

/** The deepest nesting of arrays and objects in a valid JSON text, counted without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** The `tools/call` requests in a JSON-RPC message or (2025-03-26 era) batch. */
export function toolCallsIn(body: unknown): { name: unknown; arguments: unknown }[] {
  const messages = Array.isArray(body) ? body : [body];
  const calls: { name: unknown; arguments: unknown }[] = [];
  for (const message of messages) {
    if (message === null || typeof message !== 'object' || (message as { method?: unknown }).method !== 'tools/call')
      continue;
    const params = (message as { params?: unknown }).params;
    const p = params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : {};
    calls.push({ name: p.name, arguments: p.arguments });
  }
  return calls;
}
