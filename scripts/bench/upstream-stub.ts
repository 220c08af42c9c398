// A helper process of `npm run bench`: the upstream API. Answers every request on 127.0.0.1
// with the JSON body in BENCH_STUB_BODY, fast, and prints {"port":N} once it listens.
import { createServer } from 'node:http';
import { serveHelper } from './serve-helper.js';

const body = Buffer.from(process.env.BENCH_STUB_BODY ?? '{}');
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, headers).end(body));
});
serveHelper(server);
