import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * A raw TCP connection to an HTTP server, for requests no HTTP client will send (a Host with
 * userinfo, two Host headers, a body that never finishes). Everything is event-driven: a test
 * awaits what the server does, never a wall-clock pause.
 */
export interface RawConnection {
  readonly socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves with everything received once it matches `pattern`; rejects if the socket closes first. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Resolves with everything received when the server closes the connection. */
  readonly closed: Promise<string>;
  write(text: string): void;
  destroy(): void;
}

export async function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let data = '';
  const waiters = new Set<{ pattern: RegExp; resolve: (text: string) => void; reject: (error: Error) => void }>();
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
    for (const waiter of waiters) {
      if (waiter.pattern.test(data)) {
        waiters.delete(waiter);
        waiter.resolve(data);
      }
    }
  });
  // A reset after the server's answer is still the server closing the connection.
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => {
      for (const waiter of waiters)
        waiter.reject(new Error(`connection closed before ${waiter.pattern}; received:\n${data}`));
      waiters.clear();
      resolve(data);
    }),
  );
  return {
    socket,
    received: () => data,
    waitFor: (pattern) =>
      pattern.test(data)
        ? Promise.resolve(data)
        : socket.destroyed
          ? Promise.reject(new Error(`connection already closed; received:\n${data}`))
          : new Promise((resolve, reject) => waiters.add({ pattern, resolve, reject })),
    closed,
    write: (text) => void socket.write(text),
    destroy: () => socket.destroy(),
  };
}

/** An HTTP/1.1 request as text; `content-length` is computed from `body` unless given. */
export function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
  body = '',
): string {
  const lines = [`${method} ${path} HTTP/1.1`];
  const withLength =
    body !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')
      ? { ...headers, 'content-length': String(Buffer.byteLength(body)) }
      : headers;
  for (const [name, value] of Object.entries(withLength)) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Status code of the first (or `index`-th) response in `text`. */
export function statusOf(text: string, index = 0): number {
  const matches = [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)];
  return Number(matches[index]?.[1] ?? 0);
}

/** A header of the first response in `text` (lower-cased name), or undefined. */
export function headerOf(text: string, name: string): string | undefined {
  const head = text.split('\r\n\r\n')[0] ?? '';
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
  }
  return undefined;
}
