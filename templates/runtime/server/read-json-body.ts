import type { IncomingMessage } from 'node:http';

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
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return { ok: false, status: 413, message: `request body larger than ${maxBytes} bytes` };
  }
  const text = await readText(req, maxBytes);
  if (text === undefined) return { ok: false, status: 413, message: `request body larger than ${maxBytes} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, message: 'request body is not valid JSON' };
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return { ok: false, status: 400, message: `request body nests deeper than ${MAX_JSON_DEPTH} levels` };
  return { ok: true, value };
}

/**
 * The body as UTF-8 text, or `undefined` once it passes `maxBytes` (the rest
 * is drained, so the 413 still reaches the client).
 * From 'data' events: an async iterator costs a promise and a tick per chunk
 * on every request. Rejects with the stream's error, or
 * ERR_STREAM_PREMATURE_CLOSE when the client goes away mid-body.
 */
function readText(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        stop();
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
