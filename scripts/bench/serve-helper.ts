import type { Server } from 'node:http';

/**
 * How every helper process of `npm run bench` serves: keep-alive clients pool idle sockets, so
 * the server outlives their idle timeouts (no request races a close); it listens on a free port
 * of 127.0.0.1, prints {"port":N} once (helper-process.ts waits for that line), and exits on SIGTERM.
 */
export function serveHelper(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
  process.once('SIGTERM', () => process.exit(0));
}
