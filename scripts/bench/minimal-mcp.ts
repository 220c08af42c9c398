// A helper process of `npm run bench`: the second floor. The least any MCP server does for a
// `tools/call` besides what the bare proxy does: parse the JSON-RPC request, make the same
// upstream call (GET BENCH_UPSTREAM_URL over a keep-alive agent), parse the upstream JSON and
// answer one SSE event holding it as text content and as structuredContent. No validation, no
// authorization, no limits: it says how much of a generated server's cost MCP itself implies.
import { Agent, createServer, request } from 'node:http';
import { serveHelper } from './serve-helper.js';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:9/');
const agent = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown };
    const call = request(upstream, { method: 'GET', agent, headers: { accept: 'application/json' } }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => parts.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        const result = { content: [{ type: 'text', text }], structuredContent: JSON.parse(text) as unknown };
        const event = `event: message\ndata: ${JSON.stringify({ result, jsonrpc: '2.0', id: message.id })}\n\n`;
        res
          .writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache, no-transform',
            'content-length': String(Buffer.byteLength(event)),
          })
          .end(event);
      });
    });
    call.on('error', () => res.writeHead(502).end());
    call.end();
  });
});
serveHelper(server);
