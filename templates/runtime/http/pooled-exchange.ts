import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { onAbort } from './abort-hooks.js';
import { collectStreamInto } from './collect-stream.js';
import type { UpstreamReply } from './upstream-client.js';

/** RFC 9110 §9.2.2. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** The codes of a connection that closed or reset under a request (undici's own, and the socket's). */
const CONNECTION_LOST = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);
const noHook = (): void => undefined;

/** What one exchange needs besides the dispatch options. */
export interface ExchangeLimits {
  readonly signal: AbortSignal;
  /** Decoded body bytes read at most; the rest is not read. */
  readonly maxBytes: number;
}

/**
 * One request and its reply over an undici pool, as a `dispatch` handler: the
 * status line, three headers and the body bytes arrive in callbacks, without
 * the stream, promise and header-object machinery of undici's `request`, per call.
 *
 * Guarantees (those of `UpstreamClient`):
 * - Nothing is followed: a redirect is an answer (a pool has no redirect interceptor).
 * - `signal` settles the exchange at once, whatever its stage: waiting for a
 *   connection or connecting (the request is then dropped before a byte is
 *   written, the connection kept), waiting or reading (the connection is destroyed).
 * - The body is read up to `maxBytes` DECODED bytes: a server may compress
 *   unasked (gzip, deflate, br), and a zip bomb stops at the cap.
 * - An idempotent request whose pooled connection closed before any answer is
 *   sent once more (RFC 9112 §9.3.1); undici itself fails it. A connection that
 *   had never answered anything is not retried (as node:http's agent does), as
 *   far as undici's error tells: a reset (RST) rather than a close does not say,
 *   and is retried once.
 * - A connection lost under a request rejects with node:http's `ECONNRESET`
 *   ("socket hang up"), the code the runtime reports; other errors keep theirs.
 *
 * 1xx informational answers are skipped, as node:http does.
 */
export class PooledExchange implements Dispatcher.DispatchHandler {
  private settled = false;
  private answered = false;
  private retried = false;
  /** undici's abort for the request on its connection, once it is written. */
  private abortRequest: ((error?: Error) => void) | undefined;
  private stopHook = noHook;
  private status = 0;
  private statusText = '';
  private contentType: string | null = null;
  private location: string | null = null;
  private decoder: Transform | undefined;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly options: Dispatcher.DispatchOptions,
    private readonly limits: ExchangeLimits,
    private readonly resolve: (reply: UpstreamReply) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** Sends the request; the promise behind `resolve`/`reject` settles once. */
  start(): void {
    const { signal } = this.limits;
    if (signal.aborted) {
      this.settled = true;
      this.reject(abortError(signal));
      return;
    }
    this.stopHook = onAbort(signal, () => this.fail(abortError(signal)));
    this.dispatcher.dispatch(this.options, this);
  }

  onConnect(abort: (error?: Error) => void): void {
    // Settled while it waited for a connection (the caller gave up): dropped before a byte is
    // written. Thrown, not `abort`: undici then drops the request and keeps the connection
    // (its abort would destroy a healthy keep-alive connection for a request never sent).
    if (this.settled) throw CANCELLED;
    this.abortRequest = abort;
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    if (this.settled) return false;
    if (statusCode < 200) return true;
    this.answered = true;
    this.status = statusCode;
    this.statusText = statusText;
    const encoding = this.readHeaders(raw);
    const decoder = decoderFor(encoding);
    if (decoder !== undefined) {
      this.decoder = decoder;
      decoder.on('drain', resume);
      // On overflow the decoder goes; the connection goes once the call has its answer (`answer`).
      collectStreamInto(
        decoder,
        this.limits.maxBytes,
        () => decoder.destroy(),
        ({ bytes, overflowed }) => this.answer(bytes, overflowed),
        (error) => this.fail(error),
      );
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    // Backpressure from a decoder: undici pauses reading until it drains (`resume`).
    if (this.decoder !== undefined) {
      this.size += chunk.byteLength;
      return this.decoder.write(chunk);
    }
    const { maxBytes } = this.limits;
    if (this.size + chunk.byteLength > maxBytes) {
      this.chunks.push(chunk.subarray(0, maxBytes - this.size));
      this.answer(Buffer.concat(this.chunks, maxBytes), true);
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    const { decoder } = this;
    if (decoder === undefined)
      this.answer(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size), false);
    else if (this.size > 0) decoder.end();
    else {
      // No body (HEAD, 204, 304): nothing to decode, and an empty zlib stream fails (Z_BUF_ERROR).
      this.answer(Buffer.alloc(0), false);
      decoder.destroy();
    }
  }

  onError(error: Error & { code?: string }): void {
    if (this.settled) return;
    if (
      !this.answered &&
      !this.retried &&
      CONNECTION_LOST.has(error.code ?? '') &&
      IDEMPOTENT.has(this.options.method) &&
      !neverAnswered(error)
    ) {
      // RFC 9112 §9.3.1: retried once, on another connection. Not from inside undici's
      // close handling (the pool is mid-update): on the next microtask.
      this.retried = true;
      this.abortRequest = undefined;
      queueMicrotask(() => {
        if (!this.settled) this.dispatcher.dispatch(this.options, this);
      });
      return;
    }
    this.fail(
      error.code === 'UND_ERR_SOCKET' ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : error,
    );
  }

  private answer(bytes: Buffer, truncated: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.stopHook();
    this.chunks = [];
    // The rest is not read: the connection goes, as node:http's destroyed response did. After
    // `settled`: undici reports the abort to onError, which must find the call answered.
    if (truncated) this.abortRequest?.(CANCELLED);
    this.resolve({
      status: this.status,
      statusText: this.statusText,
      contentType: this.contentType,
      location: this.location,
      body: { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), truncated },
    });
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.stopHook();
    this.chunks = [];
    this.decoder?.destroy();
    // A no-op when undici reported the error itself (its request is already aborted).
    this.abortRequest?.(error);
    this.reject(error);
  }

  /**
   * Content-Type and Location (the first of each, as node:http keeps them) and Content-Encoding
   * (every one joined with ", ", as node merges it) from undici's raw header list, in one pass.
   * Header bytes are latin1 (RFC 9110 §5.5), as node and undici decode them.
   */
  private readHeaders(raw: readonly Buffer[]): string | undefined {
    let encoding: string | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!;
      // Each name has its own length: most headers are passed over without decoding.
      const length = name.byteLength;
      if (length === 12) {
        if (this.contentType === null && isName(name, 'content-type'))
          this.contentType = raw[i + 1]!.toString('latin1');
      } else if (length === 8) {
        if (this.location === null && isName(name, 'location')) this.location = raw[i + 1]!.toString('latin1');
      } else if (length === 16 && isName(name, 'content-encoding')) {
        const value = raw[i + 1]!.toString('latin1');
        encoding = encoding === undefined ? value : `${encoding}, ${value}`;
      }
    }
    return encoding;
  }
}

/**
 * Whether the connection an error closed had never delivered a byte: a new connection the server
 * dropped at this very request, not a pooled one gone stale, so there is nothing to retry (node:http's
 * agent retries only on a reused socket). undici's SocketError carries the socket's counters; a raw
 * ECONNRESET or EPIPE does not, and is retried.
 */
function neverAnswered(error: Error & { socket?: { bytesRead?: unknown } }): boolean {
  return error.socket?.bytesRead === 0;
}

/** Whether a raw header name is `lower` (ASCII case-insensitive, RFC 9110 §5.1). */
function isName(name: Buffer, lower: string): boolean {
  return name.toString('latin1').toLowerCase() === lower;
}

/** The decoder of a body per `Content-Encoding`: only what a server may send unasked; identity otherwise. */
function decoderFor(contentEncoding: string | undefined): Transform | undefined {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip();
  if (encoding === 'deflate') return zlib.createInflate();
  if (encoding === 'br') return zlib.createBrotliDecompress();
  return undefined;
}

/** Why a request is dropped by this side (a cap reached, a caller gone): never shown, the exchange has settled. */
const CANCELLED = Object.assign(new Error('request dropped by the client'), { code: 'ABORT_ERR' });

/** The error node:http's `signal` option destroys a request with. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}
