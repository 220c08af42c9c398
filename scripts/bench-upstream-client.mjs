// Compares upstream HTTP clients through the runtime's callUpstream against a
// 127.0.0.1 stub in its own process (issue 8, "fixed cost"). Not part of `npm test`.
//
//   node scripts/bench-upstream-client.mjs            # ROUNDS=5 SEQ=1000 CONC=3000 by default
//   UNDICI=/path/to/node_modules/undici node scripts/bench-upstream-client.mjs   # adds undici.request + Agent
//
// Each round runs every client (rotated order) SEQ calls one after another and
// CONC calls 50 at a time; the table shows the median of the rounds.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache', 'bench-upstream');

if (process.argv[2] === 'stub') {
  const { createServer } = await import('node:http');
  const body = JSON.stringify({ id: 1, name: 'Rex', tags: ['dog'] });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body),
    );
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
} else {
  mkdirSync(out, { recursive: true });
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '--ignoreConfig',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--skipLibCheck',
      '--types',
      'node',
      '--outDir',
      join(out, 'rt'),
      '--rootDir',
      join(root, 'templates/runtime'),
      join(root, 'templates/runtime/http/call-upstream.ts'),
    ],
    { stdio: 'inherit' },
  );
  writeFileSync(join(out, 'rt', 'package.json'), '{"type":"module"}');
  const { callUpstream } = await import(pathToFileURL(join(out, 'rt/http/call-upstream.js')).href);
  const { createKeepAliveClient, fetchClient } = await import(
    pathToFileURL(join(out, 'rt/http/upstream-client.js')).href
  );

  const child = fork(fileURLToPath(import.meta.url), ['stub']);
  const port = await new Promise((resolve) => child.once('message', resolve));
  const tool = {
    name: 'getPet',
    description: 'bench',
    inputSchema: { type: 'object' },
    defs: [],
    annotations: {},
    security: [],
    access: { scopes: [[]] },
    tags: [],
    source: '#',
    http: {
      method: 'GET',
      path: '/pets/{id}',
      parameters: [{ name: 'id', argument: 'id', in: 'path', style: 'simple', explode: false, required: true }],
    },
  };
  const base = { baseUrl: `http://127.0.0.1:${port}/api/v1`, schemes: {}, env: {} };

  const keepAlive = createKeepAliveClient();
  const clients = { 'global fetch': fetchClient(fetch), 'node:http keep-alive (default)': keepAlive.send };
  let undiciAgent;
  if (process.env.UNDICI) {
    const undici = createRequire(import.meta.url)(process.env.UNDICI);
    undiciAgent = new undici.Agent({ keepAliveTimeout: 4000, connections: 64 });
    clients[
      `undici ${undici.Agent.name && createRequire(import.meta.url)(join(process.env.UNDICI, 'package.json')).version} request + Agent`
    ] = async ({ method, url, headers, body, signal, maxBytes }) => {
      const res = await undici.request(url, {
        method,
        headers: Object.fromEntries(headers),
        body,
        signal,
        dispatcher: undiciAgent,
      });
      const chunks = [];
      let size = 0;
      for await (const c of res.body) {
        size += c.length;
        if (size > maxBytes) break;
        chunks.push(c);
      }
      return {
        status: res.statusCode,
        statusText: '',
        contentType: res.headers['content-type'] ?? null,
        location: null,
        body: { bytes: Buffer.concat(chunks), truncated: size > maxBytes },
      };
    };
  }

  const call = (client) => callUpstream(tool, { id: '7' }, { ...base, client });
  const sequential = async (client, n) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await call(client);
    return Number(process.hrtime.bigint() - t) / 1e3 / n;
  };
  const concurrent = async (client, n, c) => {
    let i = 0;
    const t = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (i++ < n) await call(client);
      }),
    );
    return n / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  const SEQ = Number(process.env.SEQ ?? 1000),
    CONC = Number(process.env.CONC ?? 3000),
    ROUNDS = Number(process.env.ROUNDS ?? 5);
  const names = Object.keys(clients);
  const results = Object.fromEntries(names.map((n) => [n, { seq: [], rps: [] }]));
  const check = await call(clients[names[0]]);
  if (check.isError) throw new Error(JSON.stringify(check));
  for (const n of names) await sequential(clients[n], 300);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length];
      results[n].seq.push(await sequential(clients[n], SEQ));
      results[n].rps.push(await concurrent(clients[n], CONC, 50));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.table(
    names.map((n) => ({
      client: n,
      'µs per call, sequential (median)': Math.round(median(results[n].seq)),
      'calls/s at 50 concurrent (median)': Math.round(median(results[n].rps)),
    })),
  );
  child.kill();
  keepAlive.close();
  await undiciAgent?.close();
}
