import type { Readable } from 'node:stream';

export interface CollectedStream {
  /** Every byte the stream sent, or its first `maxBytes` when it sent more. */
  readonly bytes: Buffer;
  readonly overflowed: boolean;
}

/**
 * A stream's bytes up to `maxBytes`, from 'data' events: an async iterator costs a promise and
 * a tick per chunk on every request (issue 8). On overflow it stops listening, calls `overflow`
 * (the caller destroys the stream, or drains it so its answer still reaches a client) and
 * resolves with what fits. Rejects as `for await` would: with the stream's error, or
 * ERR_STREAM_PREMATURE_CLOSE when the stream closes before its end.
 */
export function collectStream(stream: Readable, maxBytes: number, overflow: () => void): Promise<CollectedStream> {
  return new Promise((resolve, reject) => collectStreamInto(stream, maxBytes, overflow, resolve, reject));
}

/**
 * {@link collectStream} with callbacks: for a caller that settles a promise of its own with what
 * it makes of the bytes (upstream-client.ts), one promise per request instead of two.
 */
export function collectStreamInto(
  stream: Readable,
  maxBytes: number,
  overflow: () => void,
  done: (collected: CollectedStream) => void,
  fail: (error: Error) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  // Settled once; the listeners stay (removing four per stream is a visible part of a call's CPU)
  // and do nothing afterwards: later data (a drained overflow), the 'close' after 'end'.
  let settled = false;
  stream.on('data', (chunk: Buffer) => {
    if (settled) return;
    if (size + chunk.byteLength > maxBytes) {
      settled = true;
      chunks.push(chunk.subarray(0, maxBytes - size));
      overflow();
      const bytes = Buffer.concat(chunks, maxBytes);
      // The listeners outlive the settle: they must not keep the body alive as long as the stream.
      chunks.length = 0;
      done({ bytes, overflowed: true });
      return;
    }
    chunks.push(chunk);
    size += chunk.byteLength;
  });
  stream.on('end', () => {
    if (settled) return;
    settled = true;
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    chunks.length = 0;
    done({ bytes, overflowed: false });
  });
  stream.on('error', (error: Error) => {
    if (settled) return;
    settled = true;
    fail(error);
  });
  stream.on('close', () => {
    if (settled) return;
    settled = true;
    fail(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  });
}
