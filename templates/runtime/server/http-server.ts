import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { AuthInfo, McpServerFactory } from '@modelcontextprotocol/server';
import type { RuntimeConfig } from './config.js';
import { ConfigError, isLoopback } from './config.js';
import type { HttpAuth } from './http-gate.js';
import { gateRequestInto, readMcpBodyInto } from './http-gate.js';
import { answerFast, fastRequestOf } from './fast-lane.js';
import { fastToolsOf } from './fast-tools.js';
import { acceptHost, createHostCheck } from './host-check.js';
import { capConnections, httpServerOptions } from './http-limits.js';
import { createOriginCheck } from './origin-check.js';
import { safeErrorText } from './safe-error-text.js';
import { preloadKeepAliveClient } from '../http/upstream-client.js';

/** Internal switches of the HTTP layer (tests compare the fast lane with the SDK's own answers). */
export interface HttpServeOptions {
  /** Answer single 2025-era `tools/call`, `tools/list` and `ping` POSTs without the SDK handler (`fast-lane.ts`); default on. */
  readonly fastLane?: boolean;
}

export interface RunningHttpServer {
  readonly server: Server;
  /** The address actually bound (the port is chosen by the OS when PORT=0). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Streamable HTTP (MCP 2025-11-25 "Transports"), stateless: one server
 * instance per request, serving 2025-11-25 and 2026-07-28 clients.
 */
export async function startHttpServer(
  config: RuntimeConfig,
  factory: McpServerFactory,
  log: (line: string) => void,
  auth?: HttpAuth,
  /** MCP_MAX_BATCH when authorization is off (with it, `auth.maxBatch`). */
  maxBatch?: number,
  options: HttpServeOptions = {},
): Promise<RunningHttpServer> {
  assertAuthorization(config, log, auth);
  const handler = createMcpHandler(factory, {
    maxRequestBodySize: config.maxRequestBodyBytes,
    onerror: (error) => log(JSON.stringify({ level: 'error', msg: 'mcp handler error', error: error.message })),
  });
  const mcp = toNodeHandler(handler, {
    maxRequestBodySize: config.maxRequestBodyBytes,
    // The adapter answers 500 on its own; say why (the error, never the request).
    onerror: (error) => log(JSON.stringify({ level: 'error', msg: 'request failed', error: safeErrorText(error) })),
  });
  // MCP 2025-11-25 "Security Warning": servers MUST validate Origin (DNS rebinding); Host likewise.
  const checkHost = createHostCheck(config.allowedHosts);
  const checkOrigin = createOriginCheck(config.allowedOrigins);
  const fast = options.fastLane === false ? undefined : fastToolsOf(factory);
  /** The fast lane for the hot requests it can answer as the SDK would, else the SDK handler. */
  const sdk = (req: IncomingMessage, res: ServerResponse, body: unknown, authInfo: AuthInfo | undefined) =>
    authInfo ? mcp(Object.assign(req, { auth: authInfo }), res, body) : mcp(req, res, body);
  // Not async: a ping or a listing is answered at once, a call hands on its own promise.
  const serve = (
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    authInfo: AuthInfo | undefined,
  ): Promise<void> | undefined => {
    const request = fast ? fastRequestOf(req, body) : undefined;
    if (fast && request) {
      const answered = answerFast(fast, request, res, authInfo);
      // A call's own promise is handed on as it is: no `.then` (a promise and a tick) per call.
      if (answered === true) return undefined;
      if (answered !== false) return answered;
    }
    return sdk(req, res, body, authInfo);
  };
  const mcpPath = config.publicUrl.pathname;
  const metadataPaths = auth?.resourceMetadata ? metadataRoutes(auth.resourceMetadata.url) : new Set<string>();
  const metadataBody = auth?.resourceMetadata ? JSON.stringify(auth.resourceMetadata.document) : '';

  for (const warning of config.warnings) log(JSON.stringify({ level: 'warn', msg: warning }));

  /** Answers a request whose handling threw or rejected: logged, and a 500 when nothing was sent yet. */
  const failed = (res: ServerResponse, error: unknown): void => {
    log(
      JSON.stringify({
        level: 'error',
        msg: 'request failed',
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    if (!res.headersSent)
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'server_error' }));
    else res.end();
  };
  // Made once, not per request: the handler's failure closure only when a call hands back a promise.
  const proceed = (req: IncomingMessage, res: ServerResponse, body: unknown, authInfo: AuthInfo | undefined) => {
    try {
      serve(req, res, body, authInfo)?.catch((error: unknown) => failed(res, error));
    } catch (error) {
      failed(res, error);
    }
  };
  const bodyOptions = { maxBodyBytes: config.maxRequestBodyBytes, maxBatch, log };

  const server = createServer(httpServerOptions(config.httpLimits), (req: IncomingMessage, res: ServerResponse) => {
    if (!acceptHost(req, res, log)) return;
    // The path without its query, with no array per request.
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const path = query === -1 ? target : target.slice(0, query);
    if (path === '/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (metadataPaths.has(path) && (req.method === 'GET' || req.method === 'HEAD')) {
      if (!checkHost(req, res)) return;
      // RFC 9728 §3: a public document; browser-based clients fetch it cross-origin.
      res.writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'cache-control': 'max-age=300',
      });
      res.end(req.method === 'HEAD' ? undefined : metadataBody);
      return;
    }
    if (path !== mcpPath) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found' }));
      return;
    }
    // Origin and Host first: a foreign Origin is refused even with a valid token.
    if (!checkHost(req, res) || !checkOrigin(req, res)) return;
    // A browser-based client from an allowed Origin: answer its preflight (which carries no
    // token, so it must not meet the 401) and let it read the challenge and session headers.
    const origin = req.headers.origin;
    if (typeof origin === 'string' && origin !== '') {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    }
    if (auth) {
      gateRequestInto(
        req,
        res,
        auth,
        config.maxRequestBodyBytes,
        (body, authInfo) => proceed(req, res, body, authInfo),
        () => undefined,
        (error) => failed(res, error),
      );
      return;
    }
    // Without authorization the body goes to the handler from the stream's last event, no promise between.
    readMcpBodyInto(
      req,
      res,
      bodyOptions,
      (body) => {
        if (body.ok) proceed(req, res, body.value, undefined);
      },
      (error) => failed(res, error),
    );
  });
  // Slow clients and connection floods: timeouts, keep-alive and the cap live in http-limits.ts.
  capConnections(server, config.httpLimits, log);
  preloadAfterFirstAnswer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    server,
    url: `http://${host}:${port}${mcpPath}`,
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The upstream client's HTTP library (undici, ~50 ms to load) is imported on first use so that
 * it delays neither the start nor the first `tools/list` (issue 8). Loading it once the first
 * answer has gone out keeps it off the first `tools/call` too, in the usual order of a client's
 * requests. A failed import is retried, and reported, by the call that needs it.
 */
function preloadAfterFirstAnswer(server: Server): void {
  server.once('request', (_req: IncomingMessage, res: ServerResponse) => {
    res.once('close', () => setImmediate(() => void preloadKeepAliveClient().catch(() => undefined)));
  });
}

/** Request headers an MCP client sends (MCP 2025-11-25 and 2026-07-28 "Transports"), for CORS preflights. */
const ALLOWED_HEADERS =
  'authorization, content-type, accept, last-event-id, mcp-protocol-version, mcp-session-id, mcp-method, mcp-name';
/** Response headers a browser client must be able to read: the challenge (RFC 9728 §5.1) and the session. */
const EXPOSED_HEADERS = 'www-authenticate, mcp-session-id, mcp-protocol-version';

/**
 * RFC 9728 §3.1: the metadata of resource `https://h/mcp` lives at
 * `https://h/.well-known/oauth-protected-resource/mcp`; the root form is
 * served too, for clients that look there first.
 */
function metadataRoutes(url: string): Set<string> {
  return new Set([new URL(url).pathname, '/.well-known/oauth-protected-resource']);
}

/** Fail closed: HTTP without a usable authorization configuration does not start. */
function assertAuthorization(config: RuntimeConfig, log: (line: string) => void, auth: HttpAuth | undefined): void {
  if (config.auth !== 'none') {
    if (auth === undefined || auth.mode !== config.auth) {
      throw new ConfigError(`MCP_AUTH=${config.auth} needs its verifier; the server was started without one.`);
    }
    return;
  }
  if (!isLoopback(config.host)) {
    throw new ConfigError(
      `MCP_AUTH=none serves every tool to anyone who can connect, so it only binds to loopback; HOST is "${config.host}". Use HOST=127.0.0.1 or configure authorization.`,
    );
  }
  log(
    JSON.stringify({
      level: 'warn',
      msg: 'MCP_AUTH=none: authorization is OFF. Every local process can call every tool. Use only for local development.',
    }),
  );
}
