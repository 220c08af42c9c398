import type { Dispatcher, Pool } from 'undici';
import { toAbortSignal } from './abort-hooks.js';
import type { EncodedBody } from './encode-body.js';
import { PooledExchange } from './pooled-exchange.js';
import { readCappedBody, type CappedBody } from './read-capped-body.js';

/** One upstream request, already built and checked (origin, path prefix, headers). */
export interface UpstreamRequest {
  readonly method: string;
  readonly url: URL;
  /** A plain record holds lower-case names (the runtime's own requests); `Headers` is accepted too. */
  readonly headers: Headers | Readonly<Record<string, string>>;
  readonly body: EncodedBody['body'];
  /**
   * Aborts connecting, waiting and reading (timeout and cancellation). The
   * runtime's own signals are not `AbortSignal` instances (abort-hooks.ts):
   * listen with `onAbort`, and hand an API that checks the type (`fetch`)
   * `toAbortSignal(signal)`.
   */
  readonly signal: AbortSignal;
  /** The body is read up to this many bytes, then the response is dropped. */
  readonly maxBytes: number;
}

/** The parts of an upstream response the runtime uses, body read within the cap. */
export interface UpstreamReply {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string | null;
  readonly location: string | null;
  readonly body: CappedBody;
}

/**
 * Sends one request and reads its response. Every client keeps the same
 * guarantees: redirects are never followed (credentials stay on the
 * configured origin), `signal` aborts at any stage, and the body is read up
 * to `maxBytes` and no further.
 */
export type UpstreamClient = (request: UpstreamRequest) => Promise<UpstreamReply>;

/** A client over a WHATWG `fetch` (global or injected, e.g. in tests). */
export function fetchClient(fetchImpl: typeof fetch = fetch): UpstreamClient {
  return async ({ method, url, headers, body, signal, maxBytes }) => {
    // fetch checks that its signal is an AbortSignal; the runtime's own are not (abort-hooks.ts).
    const response = await fetchImpl(url, { method, headers, body, signal: toAbortSignal(signal), redirect: 'manual' });
    return {
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get('content-type'),
      location: response.headers.get('location'),
      body: await readCappedBody(response, maxBytes),
    };
  };
}

export interface KeepAliveClientOptions {
  /** Sockets per upstream origin (default 64); further requests queue. */
  readonly maxSockets?: number;
  /** How long an idle socket is kept for reuse (default 4 s, below common server keep-alive timeouts of 5 s). */
  readonly keepAliveMs?: number;
}

export interface KeepAliveClient {
  readonly send: UpstreamClient;
  /** Closes idle sockets; in-flight requests finish. The client stays usable (new connections). */
  close(): void;
}

const DEFAULT_USER_AGENT = 'node';
/** node:http's margin below a server's announced keep-alive timeout (`HTTP_AGENT_KEEP_ALIVE_TIMEOUT_BUFFER`). */
const SERVER_HINT_MARGIN_MS = 1000;
/** undici's default: far beyond a healthy connect, short enough that abandoned requests do not pile up. */
const CONNECT_TIMEOUT_MS = 10_000;

type PoolClass = typeof Pool;
let loadedPool: PoolClass | undefined;
let loadingPool: Promise<PoolClass> | undefined;

/**
 * undici, imported on first use: loading it takes ~50 ms of CPU, which must not
 * delay a server's start or its first `tools/list` (a server creates its client at
 * the first upstream call). A failed import is retried at the next call.
 */
function loadPool(): Promise<PoolClass> {
  loadingPool ??= import('undici').then(
    ({ Pool }) => (loadedPool = Pool),
    (error: unknown) => {
      loadingPool = undefined;
      throw error;
    },
  );
  return loadingPool;
}

/**
 * Loads the keep-alive client's HTTP library now rather than at the first
 * upstream call, whose deadline would include it: for a server once it has
 * answered its first requests, and for tests with short deadlines.
 */
export function preloadKeepAliveClient(): Promise<void> {
  return loadPool().then(() => undefined);
}

/** Whether the HTTP library is loaded (for tests of when it loads). */
export function keepAliveClientLoaded(): boolean {
  return loadedPool !== undefined;
}

/**
 * The default upstream client: an undici `Pool` per origin (keep-alive
 * connections, HTTP/1.1), driven through `dispatch` with a small handler
 * ({@link PooledExchange}): no WHATWG streams or Request/Response of `fetch`,
 * no stream or promise per call of undici's `request`, none of node:http's
 * per-request objects. The guarantees of {@link UpstreamClient} hold: no
 * redirect is followed, `signal` settles the call at any stage, the body is
 * cut at `maxBytes` decoded bytes (a zip bomb stops at the cap). TLS
 * certificates are verified (node's defaults). An idempotent request whose
 * connection closed before any answer is sent once more (RFC 9112 §9.3.1).
 * Timeouts are the call's own (`signal`), and connecting is capped at 10 s
 * (undici's default; `UND_ERR_CONNECT_TIMEOUT`).
 *
 * Not done: HTTP/2, proxies (`HTTPS_PROXY` is ignored, as with global fetch).
 */
export function createKeepAliveClient(options: KeepAliveClientOptions = {}): KeepAliveClient {
  const idleMs = options.keepAliveMs ?? 4000;
  const poolOptions: Pool.Options = {
    connections: options.maxSockets ?? 64,
    pipelining: 1,
    // Idle sockets close after idleMs, or sooner when a server's `Keep-Alive: timeout=n` hint says so
    // (less the margin; a hint of a second or less stops reuse), never later than idleMs.
    keepAliveTimeout: idleMs,
    keepAliveMaxTimeout: idleMs,
    keepAliveTimeoutThreshold: SERVER_HINT_MARGIN_MS,
    // A call's own deadline (`signal`) settles it whatever the stage, but a request that waits for a
    // connection stays in undici's queue until the connect ends: undici's 10 s connect timeout bounds
    // that for an upstream that never answers a SYN. Headers and body: the call's deadline alone.
    connectTimeout: CONNECT_TIMEOUT_MS,
    headersTimeout: 0,
    bodyTimeout: 0,
  };
  // One pool per origin: a server calls the one configured origin (a few in tests).
  const pools = new Map<string, Pool>();
  const poolFor = (PoolOf: PoolClass, origin: string): Pool => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new PoolOf(origin, poolOptions);
      pools.set(origin, pool);
    }
    return pool;
  };
  const sendEncoded = (PoolOf: PoolClass, request: UpstreamRequest, encoded: EncodedBytes): Promise<UpstreamReply> => {
    const target = targetOf(request.url);
    const dispatchOptions: Dispatcher.DispatchOptions = {
      path: `${request.url.pathname}${request.url.search}`,
      // node:http sends a method upper-cased; undici as given.
      method: request.method.toUpperCase(),
      headers: headerList(request, target, encoded.contentType),
      body: encoded.bytes ?? null,
    };
    const pool = poolFor(PoolOf, target.origin);
    return new Promise<UpstreamReply>((resolve, reject) =>
      new PooledExchange(pool, dispatchOptions, request, resolve, reject).start(),
    );
  };

  const send: UpstreamClient = (request) => {
    try {
      const bytes = bodyBytes(request.body);
      // Only a FormData or Blob body is encoded asynchronously, and undici is loaded once:
      // the rest is sent without a tick's wait.
      if (loadedPool !== undefined && !(bytes instanceof Promise)) return sendEncoded(loadedPool, request, bytes);
      return Promise.all([loadPool(), bytes]).then(([PoolOf, encoded]) => sendEncoded(PoolOf, request, encoded));
    } catch (error) {
      // A client answers with a promise, failures included.
      return Promise.reject(error);
    }
  };
  return {
    send,
    close() {
      // Pool.close lets queued and in-flight requests finish, then closes every connection;
      // later calls get new pools.
      for (const pool of pools.values()) pool.close().catch(() => undefined);
      pools.clear();
    },
  };
}

/**
 * The request's headers as the flat `[name, value, ...]` list undici takes:
 * stored as given, each name and value validated by undici as node:http would
 * (no CR/LF can split a header), framing headers refused. It holds what
 * node:http would add to a record: `Host` (unless given) and the default
 * `User-Agent`; `Content-Length` is undici's, from the bytes sent (a body-less
 * POST, PUT or PATCH says `Content-Length: 0`, as with node:http).
 */
function headerList(request: UpstreamRequest, target: Target, contentType: string | undefined): string[] {
  const list: string[] = [];
  let host = false;
  let type = false;
  let agent = false;
  const add = (name: string, value: string): void => {
    // Names are lower case here (a record of the runtime's own, or `Headers`).
    if (name === 'host') host = true;
    else if (name === 'content-type') type = true;
    else if (name === 'user-agent') agent = true;
    else if (name === 'content-length') return; // framing is undici's and ours, from the bytes sent
    list.push(name, value);
  };
  if (request.headers instanceof Headers) for (const [name, value] of request.headers) add(name, value);
  else for (const name in request.headers) add(name, request.headers[name]!);
  if (!host) list.push('host', target.host);
  if (contentType !== undefined && !type) list.push('content-type', contentType);
  if (!agent) list.push('user-agent', DEFAULT_USER_AGENT);
  return list;
}

/** Where a request goes: its origin (one pool each) and the `Host` header for it. */
interface Target {
  readonly origin: string;
  /** The `Host` header node:http would send: the URL's host (IPv6 bracketed, a default port left out). */
  readonly host: string;
}

/** A server calls one upstream origin (a few in tests); bounded all the same. */
const MAX_TARGETS = 16;
const targets = new Map<string, Target>();

/** {@link Target} of `url`, once per origin: URL getters serialize afresh on every read. */
function targetOf(url: URL): Target {
  const { origin } = url;
  let target = targets.get(origin);
  if (target === undefined) {
    // No userinfo: the base URL has none (call-upstream.ts).
    target = { origin, host: url.host };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(origin, target);
  }
  return target;
}

/** Bytes and media type of a request body; FormData is serialized with its boundary as fetch would. */
function bodyBytes(body: EncodedBody['body']): EncodedBytes | Promise<EncodedBytes> {
  if (body === undefined || body === null) return NO_BODY;
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8') };
  if (body instanceof Uint8Array) return { bytes: body };
  if (body instanceof URLSearchParams)
    return {
      bytes: Buffer.from(body.toString(), 'utf8'),
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  // FormData, Blob and the rest of BodyInit: let the platform encode it (multipart boundary included).
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  return encoded
    .arrayBuffer()
    .then((buffer) => ({ bytes: new Uint8Array(buffer), ...(type !== null ? { contentType: type } : {}) }));
}

interface EncodedBytes {
  readonly bytes?: Uint8Array;
  readonly contentType?: string;
}

const NO_BODY: EncodedBytes = Object.freeze({});
