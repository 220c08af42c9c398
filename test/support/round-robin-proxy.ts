import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Index of the backend each request went to, in order. */
  readonly routed: number[];
  close(): Promise<void>;
}

/**
 * A reverse proxy on 127.0.0.1 that sends each request to the next backend in turn, with no
 * affinity of any kind (no cookie, no session id, no client address): what a plain load
 * balancer in front of replicas does. Headers (Host included) and bodies pass through as is.
 * `backends` is read per request, so a test may start the proxy first (its address is the
 * servers' public URL) and fill the list once the servers run.
 */
export async function startRoundRobinProxy(backends: readonly string[]): Promise<RoundRobinProxy> {
  const routed: number[] = [];
  let next = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (backends.length === 0) return void res.writeHead(503).end();
    const index = next % backends.length;
    next = index + 1;
    routed.push(index);
    const target = new URL(req.url ?? '/', backends[index]);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    // A client that goes away (an SSE stream closed) ends the proxied request too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
