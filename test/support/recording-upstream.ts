import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RecordingUpstream {
  /** Base URL with a path prefix, so tests also prove the prefix is kept. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  respond(
    handler: (req: RecordedRequest) => { status?: number; headers?: Record<string, string>; body?: string | Buffer },
  ): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records exactly what it received. */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  let handler: Parameters<RecordingUpstream['respond']>[0] = () => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const answer = handler(recorded);
      res
        .writeHead(answer.status ?? 200, answer.headers ?? { 'content-type': 'application/json' })
        .end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    respond: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
