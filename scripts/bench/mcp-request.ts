import type { HttpAnswer } from './http-client.js';

/** The protocol era every bench request speaks: stateless, no `initialize` needed. */
export const PROTOCOL_VERSION = '2025-11-25';

/**
 * Headers of a stateless Streamable HTTP POST (MCP 2025-11-25 "Transports"): the client
 * MUST accept both JSON and SSE answers and SHOULD name the protocol version it speaks.
 */
export function mcpHeaders(token?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': PROTOCOL_VERSION,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

export function rpcBody(method: string, params: object, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

export interface RpcMessage {
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly code: number; readonly message: string };
}

/** The JSON-RPC response in an answer, sent as JSON or as the `data:` of one SSE event. */
export function rpcMessage(answer: HttpAnswer): RpcMessage {
  const text = answer.body.toString('utf8');
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${text.slice(0, 300)}`);
  const json = answer.contentType.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('')
    : text;
  return JSON.parse(json) as RpcMessage;
}

/** The result of a JSON-RPC call; throws on a protocol error or an `isError` tool result. */
export function rpcResult(answer: HttpAnswer, what: string): Record<string, unknown> {
  const message = rpcMessage(answer);
  if (!message.result)
    throw new Error(`${what}: ${message.error?.message ?? 'no result'} (${message.error?.code ?? '?'})`);
  if (message.result.isError === true)
    throw new Error(`${what}: tool error ${JSON.stringify(message.result).slice(0, 400)}`);
  return message.result;
}
