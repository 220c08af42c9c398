// A helper process of `npm run bench`: the floor a generated server is compared with. A bare
// node:http server that, for every request, reads the body, makes the same upstream call
// (GET BENCH_UPSTREAM_URL) over a keep-alive agent and answers with the upstream's body.
import { Agent, createServer, request } from 'node:http';
import { serveHelper } from './serve-helper.js';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:9/');
const agent = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const call = request(upstream, { method: 'GET', agent, headers: { accept: 'application/json' } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res
          .writeHead(answer.statusCode ?? 502, {
            'content-type': 'application/json',
            'content-length': String(body.length),
          })
          .end(body);
      });
    });
    call.on('error', () => res.writeHead(502).end());
    call.end();
  });
});
serveHelper(server);
