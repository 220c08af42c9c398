import type { IncomingMessage } from 'node:http';

export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > maxBytes) {
      req.resume();
      return { ok: false, status: 413, message: `request body larger than ${maxBytes} bytes` };
    }
    chunks.push(buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks, size).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, message: 'request body is not valid JSON' };
  }
}

/** The `tools/call` requests in a JSON-RPC message or (2025-03-26 era) batch. */
export function toolCallsIn(body: unknown): { name: unknown; arguments: unknown }[] {
  const messages = Array.isArray(body) ? body : [body];
  const calls: { name: unknown; arguments: unknown }[] = [];
  for (const message of messages) {
    if (message === null || typeof message !== 'object' || (message as { method?: unknown }).method !== 'tools/call') continue;
    const params = (message as { params?: unknown }).params;
    const p = params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : {};
    calls.push({ name: p.name, arguments: p.arguments });
  }
  return calls;
}
