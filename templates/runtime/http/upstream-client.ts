import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { onAbort, toAbortSignal } from './abort-hooks.js';
import { collectStreamInto } from './collect-stream.js';
import type { EncodedBody } from './encode-body.js';
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
  /** Closes idle sockets; in-flight requests finish. */
  close(): void;
}

const DEFAULT_USER_AGENT = 'node';
const noHook = (): void => undefined;
/** RFC 9110 §9.2.2. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * The default upstream client: `node:http`/`node:https` with keep-alive
 * agents, so each call reuses a connection instead of paying for a new one,
 * without the WHATWG stream and Request/Response conversions of `fetch`
 * (several times its throughput on a loopback stub, see the report of the
 * "upstream" work). The guarantees of {@link UpstreamClient} hold: no
 * redirect is followed (node:http never does), `signal` destroys the request
 * and its response, the body is cut at `maxBytes` (decoded bytes, when a
 * server compresses although none was asked for: a zip bomb stops at the cap).
 * TLS certificates are verified (the https defaults). An idempotent request
 * whose pooled connection turns out closed by the server is sent once more
 * on a new one (RFC 9112 §9.3.1).
 *
 * Not done: HTTP/2, proxies (`HTTPS_PROXY` is ignored, as with global fetch).
 */
export function createKeepAliveClient(options: KeepAliveClientOptions = {}): KeepAliveClient {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  const idleMs = options.keepAliveMs ?? 4000;
  const agents = {
    http: withIdleTimeout(new http.Agent(agentOptions), idleMs),
    https: withIdleTimeout(new https.Agent(agentOptions), idleMs),
  };

  const send: UpstreamClient = (request) => {
    try {
      const bytes = bodyBytes(request.body);
      // Only a FormData or Blob body is encoded asynchronously; the rest is sent without a tick's wait.
      return bytes instanceof Promise
        ? bytes.then((encoded) => sendEncoded(request, encoded))
        : sendEncoded(request, bytes);
    } catch (error) {
      // A client answers with a promise, failures included.
      return Promise.reject(error);
    }
  };

  const sendEncoded = (
    request: UpstreamRequest,
    { bytes, contentType }: { bytes?: Uint8Array; contentType?: string },
  ): Promise<UpstreamReply> => {
    const target = targetOf(request.url);
    const isHttps = target.protocol === 'https:';
    const options = {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: headerList(request, target, bytes, contentType),
      agent: isHttps ? agents.https : agents.http,
    };
    const { signal, maxBytes } = request;
    // One promise per call, settled by the attempt that answers: no async wrapper or `.catch`
    // adds ticks to every call for the rare retry.
    return new Promise<UpstreamReply>((resolve, reject) => {
      const attempt = (retried: boolean): void => {
        if (signal.aborted) {
          reject(abortError(signal));
          return;
        }
        let settled = false;
        let answered = false;
        // What node:http's `signal` option does (destroy the request, and with it the response),
        // with one hook, dropped once the attempt settles, instead of its end-of-stream and
        // abort-listener machinery per call.
        let stopHook = noHook;
        const fail = (error: Error, stale: boolean) => {
          if (settled) return;
          settled = true;
          stopHook();
          // A pooled connection the server closed while idle fails before any answer:
          // RFC 9112 §9.3.1 lets a client retry an idempotent request on a new connection, once.
          if (stale && !retried && IDEMPOTENT.has(request.method.toUpperCase()) && !signal.aborted) attempt(true);
          else reject(error);
        };
        const req = (isHttps ? https : http).request(options, (res) => {
          answered = true;
          const headers = replyHeaders(res.rawHeaders);
          const stream = decoded(res, headers.contentEncoding);
          const drop = () => {
            stream.destroy();
            res.destroy();
          };
          collectStreamInto(
            stream,
            maxBytes,
            drop,
            ({ bytes: body, overflowed }) => {
              if (settled) return;
              settled = true;
              stopHook();
              resolve({
                status: res.statusCode ?? 0,
                statusText: res.statusMessage ?? '',
                contentType: headers.contentType,
                location: headers.location,
                body: { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), truncated: overflowed },
              });
            },
            (error) => fail(error, false),
          );
        });
        stopHook = onAbort(signal, () => req.destroy(abortError(signal)));
        req.on('error', (error: Error & { code?: string }) =>
          fail(error, !answered && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')),
        );
        req.end(bytes);
      };
      attempt(false);
    });
  };
  return {
    send,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** node:http's margin below a server's announced keep-alive timeout (`HTTP_AGENT_KEEP_ALIVE_TIMEOUT_BUFFER`). */
const SERVER_HINT_MARGIN_MS = 1000;

/**
 * `agent` destroying a pooled socket idle for `idleMs`, as the agent option
 * `timeout` would, without that option: with it node:http adds and removes a
 * socket 'timeout' listener on every request (a visible part of a call's CPU),
 * although a busy socket's timeout is acted on by nobody (the call's `signal`
 * carries its deadline). The idle timer is set once per socket when it is
 * pooled, as the agent's own `keepSocketAlive` does, and the server's
 * `Keep-Alive: timeout=n` hint still shortens it or stops reuse.
 */
function withIdleTimeout<A extends http.Agent>(agent: A, idleMs: number): A {
  agent.keepSocketAlive = (socket: Socket): boolean => {
    socket.setKeepAlive(true, (agent as A & { keepAliveMsecs?: number }).keepAliveMsecs ?? 1000);
    socket.unref();
    let timeout = idleMs;
    const res = (socket as Socket & { _httpMessage?: { res?: http.IncomingMessage } })._httpMessage?.res;
    const hint = res === undefined ? undefined : joinedHeader(res.rawHeaders, 'keep-alive');
    const seconds = hint === undefined ? undefined : hintedSeconds(hint);
    if (seconds !== undefined) {
      const hinted = seconds * 1000 - SERVER_HINT_MARGIN_MS;
      // A server that keeps a connection a second or less: reusing it would race its close.
      if (hinted <= 0) return false;
      if (hinted < timeout) timeout = hinted;
    }
    if (socket.timeout !== timeout) socket.setTimeout(timeout);
    return true;
  };
  return agent;
}

/** The last `Keep-Alive` hint seen and its `timeout`: an upstream sends the same one on every answer. */
let lastHint: string | undefined;
let lastHintSeconds: number | undefined;

/**
 * The `timeout` parameter of a `Keep-Alive` response header (in seconds), parsed once per distinct
 * value instead of a regular expression per pooled response. One entry: the value comes from the
 * upstream, and a changing value is simply parsed again.
 */
function hintedSeconds(hint: string): number | undefined {
  if (hint !== lastHint) {
    const seconds = /^timeout=(\d+)/.exec(hint)?.[1];
    lastHintSeconds = seconds === undefined ? undefined : Number.parseInt(seconds, 10);
    lastHint = hint;
  }
  return lastHintSeconds;
}

/**
 * The request's headers as the flat `[name, value, ...]` list node:http takes:
 * stored as given, each name and value validated by node (no CR/LF can split
 * a header), without a `setHeader` per header. node:http adds nothing to such
 * a list, so it holds what it would add to a record: `Host` (unless given),
 * `Content-Length` of a body and the default `User-Agent`. A body-less POST
 * (or PUT, PATCH...) says `Content-Length: 0`, as node:http would, rather
 * than being sent chunked.
 */
function headerList(
  request: UpstreamRequest,
  target: Target,
  bytes: Uint8Array | undefined,
  contentType: string | undefined,
): string[] {
  const list: string[] = [];
  let host = false;
  let type = false;
  let agent = false;
  const add = (name: string, value: string): void => {
    // Names are lower case here (a record of the runtime's own, or `Headers`).
    if (name === 'host') host = true;
    else if (name === 'content-type') type = true;
    else if (name === 'user-agent') agent = true;
    else if (name === 'content-length') return; // framing is node's and ours, from the bytes sent
    list.push(name, value);
  };
  if (request.headers instanceof Headers) for (const [name, value] of request.headers) add(name, value);
  else for (const name in request.headers) add(name, request.headers[name]!);
  if (!host) list.push('Host', target.host);
  if (contentType !== undefined && !type) list.push('content-type', contentType);
  if (bytes !== undefined) list.push('content-length', String(bytes.byteLength));
  else if (!UNCHUNKED.has(request.method.toUpperCase())) list.push('content-length', '0');
  if (!agent) list.push('user-agent', DEFAULT_USER_AGENT);
  return list;
}

/** The methods node:http does not send chunked by default; a body-less request of any other says `Content-Length: 0`. */
const UNCHUNKED = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** Where a request goes, as node:http options: what `urlToHttpOptions` makes of the URL's origin. */
interface Target {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number | undefined;
  /** The `Host` header node:http would send: the URL's host (IPv6 bracketed, a default port left out). */
  readonly host: string;
}

/** A server calls one upstream origin (a few in tests); bounded all the same. */
const MAX_TARGETS = 16;
const targets = new Map<string, Target>();

/**
 * The origin part of node:http's options for `url`, once per origin:
 * `urlToHttpOptions` copies the whole URL object per request, a visible
 * part of a call's CPU. No userinfo: the base URL has none (call-upstream.ts).
 */
function targetOf(url: URL): Target {
  const { origin } = url;
  let target = targets.get(origin);
  if (target === undefined) {
    const { hostname } = url;
    target = {
      protocol: url.protocol,
      // An IPv6 literal is bracketed in a URL, bare in node:http's options.
      hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
      port: url.port === '' ? undefined : Number(url.port),
      host: url.host,
    };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(origin, target);
  }
  return target;
}

/** The error node:http's `signal` option destroys a request with. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

/** Bytes and media type of a request body; FormData is serialized with its boundary as fetch would. */
function bodyBytes(
  body: EncodedBody['body'],
): { bytes?: Uint8Array; contentType?: string } | Promise<{ bytes?: Uint8Array; contentType?: string }> {
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

const NO_BODY: { bytes?: Uint8Array; contentType?: string } = Object.freeze({});

/** The response body decoded per `Content-Encoding` (only what a server may send unasked; identity otherwise). */
function decoded(res: http.IncomingMessage, contentEncoding: string | undefined): Readable {
  const encoding = contentEncoding?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return res;
  res.on('error', (error) => decoder.destroy(error));
  return res.pipe(decoder);
}

/** The response headers the client reads, with the values `IncomingMessage.headers` would give them. */
interface ReplyHeaders {
  readonly contentType: string | null;
  readonly location: string | null;
  readonly contentEncoding: string | undefined;
}

/**
 * {@link ReplyHeaders} from `rawHeaders` in one pass: node:http builds a response's `headers`
 * object lazily, on first read, and building it (every header, lower-cased and merged) is a
 * visible part of a call's CPU for three values. Merged as node merges them: `Content-Type` and
 * `Location` keep their first occurrence (node drops later duplicates of both), other headers
 * are joined with ", ".
 */
function replyHeaders(raw: readonly string[]): ReplyHeaders {
  let contentType: string | null = null;
  let location: string | null = null;
  let contentEncoding: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // Each name has its own length: most headers are passed over without lower-casing.
    if (name.length === 12) {
      if (contentType === null && name.toLowerCase() === 'content-type') contentType = raw[i + 1]!;
    } else if (name.length === 8) {
      if (location === null && name.toLowerCase() === 'location') location = raw[i + 1]!;
    } else if (name.length === 16 && name.toLowerCase() === 'content-encoding') {
      contentEncoding = contentEncoding === undefined ? raw[i + 1]! : `${contentEncoding}, ${raw[i + 1]!}`;
    }
  }
  return { contentType, location, contentEncoding };
}

/** Every occurrence of a header (`name` lower case) joined with ", ", as node merges one it does not single out. */
function joinedHeader(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const field = raw[i]!;
    if (field.length === name.length && field.toLowerCase() === name)
      value = value === undefined ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
  }
  return value;
}
