// A helper process of `npm run bench`: the upstream API. Answers every request on 127.0.0.1
// with the JSON body in BENCH_STUB_BODY, fast, and prints {"port":N} once it listens.
import { createServer } from 'node:http';

const body = Buffer.from(process.env.BENCH_STUB_BODY ?? '{}');
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, headers).end(body));
});
// Keep-alive clients pool idle sockets; outlive their idle timeouts so no request races a close.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
