#!/usr/bin/env node
// A loopback npm registry for the `@openapi-to-mcp` scope only, serving THIS checkout's package.
//
// Generated projects pin `@openapi-to-mcp/cli` as an exact dev dependency, and it is not on the npm
// registry yet: the demo and the tests that install a generated project get it from here. npm is
// pointed at it for the scope alone (`npm_config_@openapi-to-mcp:registry`), so every other package
// still comes from the real registry. Plain JavaScript (with local-registry.d.ts beside it): the demo
// runs on Node 20 without a build step, and the tests import the same file.
//
// Run directly (`node scripts/local-registry.js`) it serves until stopped and prints the variable
// to set in another shell before `npm install` in a generated project.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCOPE = '@openapi-to-mcp';

/**
 * Packs the checkout (`npm pack --ignore-scripts`: the tarball takes the dist/ already built, and
 * never rebuilds it under a test that is running the CLI from it) into `packDir`, or a temporary
 * folder removed on close.
 * @param {{ repo?: string, packDir?: string }} [options]
 */
export function packCheckout(options = {}) {
  const repo = options.repo ?? REPO;
  if (!existsSync(join(repo, 'dist/src/index.js')))
    throw new Error('no dist/: run `npm run build` (or `npm ci`) first');
  const dir = options.packDir ?? mkdtempSync(join(tmpdir(), 'openapi-to-mcp-pack-'));
  const name = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .trim()
    .split('\n')
    .at(-1);
  if (!name) throw new Error('npm pack printed no file name');
  return { tarball: join(dir, name), temporary: options.packDir === undefined ? dir : undefined };
}

/**
 * Serves `tarball` (default: a fresh pack of this checkout) as the only version of the package in
 * its package.json, on 127.0.0.1 and a free port. The server runs in a child process: the callers
 * (the demo, the tests) run npm with execFileSync, which would block a server in their own event
 * loop. The child exits when its standard input closes, so it never outlives the caller.
 * @param {{ repo?: string, tarball?: string, packDir?: string }} [options]
 * @returns {Promise<import('./local-registry.js').LocalRegistry>}
 */
export async function startLocalRegistry(options = {}) {
  const repo = options.repo ?? REPO;
  const packed = options.tarball ? { tarball: options.tarball, temporary: undefined } : packCheckout(options);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', repo, packed.tarball], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise((ok, fail) => {
    let seen = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const line = seen.split('\n')[0];
      if (seen.includes('\n') && line) ok(JSON.parse(line).url);
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`the local registry exited with ${code}`)));
  });
  const exited = new Promise((ok) => child.once('exit', () => ok(undefined)));
  return {
    url,
    tarball: packed.tarball,
    // npm reads `npm_config_<key>` from the environment; `@scope:registry` is a scoped registry.
    env: { [`npm_config_${SCOPE}:registry`]: url },
    close: async () => {
      child.stdin.end();
      await exited;
      if (packed.temporary) rmSync(packed.temporary, { recursive: true, force: true });
    },
  };
}

/** The registry itself, in this process (the child of startLocalRegistry, or the command line). */
async function serve(repo, tarball) {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  if (typeof pkg.name !== 'string' || !pkg.name.startsWith(`${SCOPE}/`))
    throw new Error(`${pkg.name} is not in the ${SCOPE} scope`);
  const bytes = readFileSync(tarball);
  const file = `${pkg.name.slice(SCOPE.length + 1)}-${pkg.version}.tgz`;
  const tarballPath = `/${pkg.name}/-/${file}`;
  let base = '';

  const server = createServer((req, res) => {
    // npm asks for a scoped packument with the slash encoded (`/@openapi-to-mcp%2fcli`); accept both.
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (path === `/${pkg.name}`) {
      const body = JSON.stringify(packument(pkg, `${base}${tarballPath.slice(1)}`, bytes));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    if (path === tarballPath) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      return void res.end(req.method === 'HEAD' ? undefined : bytes);
    }
    // Anything else in the scope does not exist here; npm never asks this server for other scopes.
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the local registry has no port');
  base = `http://127.0.0.1:${address.port}/`;
  return { url: base, close: () => server.close() };
}

/**
 * The packument (npm registry "full metadata" document) of one version: what `npm install` needs
 * to resolve it (its dependencies, bin and engines) and to fetch and verify the tarball
 * (`dist.integrity`, SRI sha512; `dist.shasum`, sha1 hex, for old clients).
 */
function packument(pkg, tarballUrl, bytes) {
  const { name, version, description, license, bin, engines, dependencies, peerDependencies, optionalDependencies } =
    pkg;
  const manifest = {
    name,
    version,
    description,
    license,
    bin,
    engines,
    dependencies,
    peerDependencies,
    optionalDependencies,
    _id: `${name}@${version}`,
    dist: {
      tarball: tarballUrl,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    },
  };
  return { _id: name, name, 'dist-tags': { latest: version }, versions: { [version]: manifest } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv[2] === '--serve') {
    // The child of startLocalRegistry: its first line is the URL; it stops when the parent lets go.
    const registry = await serve(resolve(process.argv[3] ?? REPO), resolve(process.argv[4] ?? ''));
    process.stdout.write(`${JSON.stringify({ url: registry.url })}\n`);
    process.stdin.on('end', () => process.exit(0)).resume();
  } else {
    const { tarball, temporary } = packCheckout();
    const registry = await serve(REPO, tarball);
    console.log(`Serving this checkout's ${SCOPE} package at ${registry.url} (Ctrl-C to stop).`);
    console.log(`In a generated project: npm install --${SCOPE}:registry=${registry.url}`);
    const stop = () => {
      if (temporary) rmSync(temporary, { recursive: true, force: true });
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
