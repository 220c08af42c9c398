import { ServerResponse } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, Server, ServerOptions } from 'node:http';

/** How long a client may take and how many may connect (MCP_HEADERS_TIMEOUT_MS, MCP_REQUEST_TIMEOUT_MS, MCP_MAX_CONNECTIONS). */
export interface HttpLimits {
  /** Time from a request's first byte to the end of its headers; a slower client gets 408 and is disconnected. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included (not the response: SSE streams are unaffected). */
  readonly requestTimeoutMs: number;
  /** Open connections at once; past it, new connections are dropped at accept. */
  readonly maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  maxConnections: 1024,
});

/**
 * Clients may hold a pooled connection idle for a while (the SDK client compiles every output
 * schema of a large tools/list before its next request); Node's 5 s default then races them.
 * Since Node 18 `headersTimeout` runs per request from its first byte, so an idle kept-alive
 * connection is governed by this alone and the header timeout can stay much shorter.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Options for `createServer`: the timeouts (Node checks them every `connectionsCheckingInterval`,
 * 30 s by default, far coarser than a short timeout) and a response class that closes the
 * connection when it should (see `ConnectionAwareResponse`).
 */
export function httpServerOptions(
  limits: HttpLimits,
): ServerOptions<typeof IncomingMessage, typeof ConnectionAwareResponse> {
  return {
    ServerResponse: ConnectionAwareResponse,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** The connection cap (not a `createServer` option); logs at most once a minute while it drops clients. */
export function capConnections(
  server: Server,
  limits: HttpLimits,
  log: (line: string) => void,
  now: () => number = Date.now,
): void {
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  let lastReport = -Infinity;
  server.on('drop', () => {
    dropped += 1;
    if (now() - lastReport < 60_000) return;
    lastReport = now();
    log(
      JSON.stringify({
        level: 'warn',
        msg: 'connection limit reached: new connections are dropped; raise MCP_MAX_CONNECTIONS if this is legitimate load',
        maxConnections: limits.maxConnections,
        dropped,
      }),
    );
    dropped = 0;
  });
}

/**
 * A response that ends the connection after itself when keeping it would be wrong:
 * - the request body was not (fully) read, because the server answered early (401, 403, 413...):
 *   reading on would let a slow client hold the socket for as long as it likes to send a body
 *   nobody wants;
 * - the client asked for `Connection: close` (RFC 9112 §9.6), which an explicit
 *   `connection: keep-alive` header (the SDK sets one on SSE responses) would otherwise override.
 * It sends `Connection: close`, and Node closes the socket once the response is written.
 */
export class ConnectionAwareResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  override writeHead(
    statusCode: number,
    statusMessage?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    if (this.shouldKeepAlive && !bodyUnread(this.req)) {
      return typeof statusMessage === 'string'
        ? super.writeHead(statusCode, statusMessage, headers)
        : super.writeHead(statusCode, statusMessage);
    }
    this.shouldKeepAlive = false;
    // Said explicitly: removing the header instead would make Node close without telling the client.
    if (this.hasHeader('connection')) this.setHeader('connection', 'close');
    if (typeof statusMessage === 'string')
      return super.writeHead(statusCode, statusMessage, withConnectionClose(headers));
    return super.writeHead(statusCode, withConnectionClose(statusMessage));
  }
}

/** Whether the request announced a body (RFC 9112 §6.3) that has not been received in full. */
function bodyUnread(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The headers with `Connection: close` instead of any `Connection`, in whichever form `writeHead` was given them. */
function withConnectionClose(
  headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined,
): OutgoingHttpHeaders | OutgoingHttpHeader[] {
  const isConnection = (name: unknown) => typeof name === 'string' && name.toLowerCase() === 'connection';
  if (headers === undefined) return { connection: 'close' };
  if (!Array.isArray(headers))
    return {
      ...Object.fromEntries(Object.entries(headers).filter(([name]) => !isConnection(name))),
      connection: 'close',
    };
  // Either [[name, value], ...] or the flat raw form [name, value, name, value, ...].
  if (headers.length > 0 && Array.isArray(headers[0])) {
    const pairs = (headers as unknown as [unknown, unknown][]).filter(([name]) => !isConnection(name));
    return [...pairs, ['connection', 'close']] as unknown as OutgoingHttpHeader[];
  }
  const kept: OutgoingHttpHeader[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (!isConnection(headers[i])) kept.push(headers[i]!, headers[i + 1]!);
  }
  return [...kept, 'connection', 'close'];
}
