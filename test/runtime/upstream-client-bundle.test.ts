import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO } from '../support/generated-project.js';
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from './support/self-signed.js';

// The keep-alive client as a generated project ships it: bundled by esbuild with packages
// external, run by plain node (what a server loads is what node loads, and a child process has
// its own trust store).
//
// Issue 8: loading undici takes ~50 ms, and a generated server's cold start to its first
// tools/list is held under 300 ms. The runtime therefore imports undici on the first upstream
// call, never at start.

const dir = join(REPO, '.cache', 'test-upstream-client-bundle');
let server: Server;
let origin: string;

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(REPO, 'templates/runtime/http/upstream-client.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: join(dir, 'upstream-client.js'),
    logLevel: 'warning',
  });
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

it('loads undici at the first call, not when the runtime is imported', async () => {
  const probe = join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const undiciModules = () => Object.keys(require.cache).filter((file) => file.includes('/node_modules/undici/')).length;
const { createKeepAliveClient } = await import('./upstream-client.js');
const atImport = undiciModules();
const client = createKeepAliveClient();
const reply = await client.send({
  method: 'GET',
  url: new URL(process.argv[2]),
  headers: {},
  body: undefined,
  signal: AbortSignal.timeout(10_000),
  maxBytes: 100,
});
client.close();
console.log(JSON.stringify({ atImport, afterCall: undiciModules() > 0, status: reply.status }));
`,
  );
  // Not execFileSync: the probe calls this process's server.
  const { stdout } = await promisify(execFile)(process.execPath, [probe, `${origin}/x`], { timeout: 20_000 });
  expect(JSON.parse(stdout)).toEqual({ atImport: 0, afterCall: true, status: 200 });
});

it('loads undici before any call when asked to (preloadKeepAliveClient)', async () => {
  const probe = join(dir, 'preload.mjs');
  writeFileSync(
    probe,
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const undiciModules = () => Object.keys(require.cache).filter((file) => file.includes('/node_modules/undici/')).length;
const { preloadKeepAliveClient } = await import('./upstream-client.js');
const atImport = undiciModules();
await preloadKeepAliveClient();
console.log(JSON.stringify({ atImport, preloaded: undiciModules() > 0 }));
`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [probe], { timeout: 20_000 });
  expect(JSON.parse(stdout)).toEqual({ atImport: 0, preloaded: true });
});

it('calls an https upstream whose certificate the trust store holds (SNI, verification on)', async () => {
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, SELF_SIGNED_CERT);
  const tls = createHttpsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.headers.host} ${req.url}`),
  );
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  try {
    const port = (tls.address() as AddressInfo).port;
    const probe = join(dir, 'https.mjs');
    writeFileSync(
      probe,
      `const { createKeepAliveClient } = await import('./upstream-client.js');
const client = createKeepAliveClient();
const call = () => client.send({ method: 'GET', url: new URL(process.argv[2]), headers: {}, body: undefined, signal: AbortSignal.timeout(10_000), maxBytes: 100 });
const first = await call();
const second = await call();
client.close();
console.log(JSON.stringify([first.status, Buffer.from(second.body.bytes).toString()]));
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [probe, `https://127.0.0.1:${port}/a?b=1`], {
      timeout: 20_000,
      // The certificate is trusted as a CA by this child only: verification stays on.
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca },
    });
    expect(JSON.parse(stdout)).toEqual([200, `127.0.0.1:${port} /a?b=1`]);
  } finally {
    tls.closeAllConnections();
    await new Promise((resolve) => tls.close(resolve));
  }
});
