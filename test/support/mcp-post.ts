import { request } from 'node:http';

/**
 * Plain HTTP to an MCP endpoint without an SDK client: one stateless 2025-11-25 request
 * per POST (no initialize, no session), as load and fuzz tests send thousands of them.
 */
export const STATELESS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-protocol-version': '2025-11-25',
});

export interface McpAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The JSON-RPC message (from a JSON body or the first SSE `data:` line), or undefined. */
  readonly message: Record<string, unknown> | undefined;
  readonly text: string;
}

export function toolsCall(name: string, args: unknown, id: number | string = 1): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

export async function postMcp(url: string, body: unknown, headers: Record<string, string> = {}): Promise<McpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...STATELESS_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    message: parseMessage(text, response.headers.get('content-type')),
    text,
  };
}

/** A JSON-RPC 2.0 response (JSON-RPC 2.0 §5): `result` xor `error` with a numeric code. */
export function isJsonRpcResponse(message: Record<string, unknown> | undefined): boolean {
  if (!message || message.jsonrpc !== '2.0') return false;
  if ('result' in message)
    return !('error' in message) && typeof message.result === 'object' && message.result !== null;
  const error = message.error as { code?: unknown; message?: unknown } | undefined;
  return (
    typeof error === 'object' && error !== null && Number.isInteger(error.code) && typeof error.message === 'string'
  );
}

function parseMessage(text: string, contentType: string | null): Record<string, unknown> | undefined {
  const json = contentType?.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .find((line) => line.length > 0)
    : text;
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A POST through node:http, which (unlike fetch) lets a test set `Host` and other forbidden
 * headers to anything Node will put on the wire.
 */
export function postRaw(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { ...STATELESS_HEADERS, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
