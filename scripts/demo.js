#!/usr/bin/env node
// The demo a new user can watch: generate an MCP server from the bundled example spec, install,
// build and test it as a user would, then start it as an OAuth 2.1 resource server and drive it
// with a real MCP client against a small local stand-in for the API: 401 and discovery, a token
// that may only read, a 403 step-up, then the call with the right scope. Tokens are signed here
// with jose (a stand-in for your authorization server). Everything stays on 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { startLocalRegistry } from './local-registry.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = join(repo, 'fixtures/petstore-3.1.yaml');
const config = join(repo, 'fixtures/demo/openapi-to-mcp.config.yaml');
const out = join(repo, '.cache/demo/pet-clinic-mcp');
const step = (text) => console.log(`\n\u25b6 ${text}`);
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

step(`openapi-to-mcp generate fixtures/petstore-3.1.yaml --config fixtures/demo/openapi-to-mcp.config.yaml -o ${out}`);
rmSync(out, { recursive: true, force: true });
sh(process.execPath, [join(repo, 'bin/openapi-to-mcp.js'), 'inspect', spec, '--config', config], repo);
sh(process.execPath, [join(repo, 'bin/openapi-to-mcp.js'), 'generate', spec, '--config', config, '-o', out], repo);

step('npm install && npm run build && npm test   (inside the generated project)');
// The project pins the generator (@openapi-to-mcp/cli) as a dev dependency for its CI check.
console.log("  @openapi-to-mcp/cli is not published yet: this checkout's package is served on 127.0.0.1 for it.");
const registry = await startLocalRegistry();
try {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: out,
    stdio: 'inherit',
    env: { ...process.env, ...registry.env },
  });
} finally {
  await registry.close();
}
sh('npm', ['run', 'build', '--silent'], out);
sh('npm', ['test', '--silent'], out);

step('a stand-in for the Pet Clinic API on 127.0.0.1, printing every request it receives');
const pets = [{ id: 1, name: 'Tom', species: 'cat' }];
const api = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const key = req.headers['x-clinic-key'] ? ` [X-Clinic-Key: ${'*'.repeat(8)}]` : '';
    console.log(`  API received: ${req.method} ${req.url}${key}${body ? ` ${body}` : ''}`);
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST') {
      const pet = { id: pets.length + 1, ...JSON.parse(body) };
      pets.push(pet);
      res.writeHead(201).end(JSON.stringify(pet));
    } else if (req.method === 'GET') res.end(JSON.stringify({ items: pets, next: null }));
    else res.writeHead(204).end();
  });
});
await new Promise((r) => api.listen(0, '127.0.0.1', r));
const upstream = `http://127.0.0.1:${api.address().port}/v2`;

const ISSUER = 'https://login.demo.invalid';
const RESOURCE = 'http://127.0.0.1/mcp';
const kid = 'demo-key-1';
const keys = await generateKeyPair('ES256');
const publicJwk = { ...(await exportJWK(keys.publicKey)), kid, alg: 'ES256' };
const token = (scope, roles = []) =>
  new SignJWT({ scope, roles, client_id: 'demo-agent' })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(RESOURCE)
    .setSubject('ann')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(keys.privateKey);

step(
  'node dist/index.js   (MCP_TRANSPORT=http, OAUTH_ISSUER, MCP_PUBLIC_URL, OAUTH_PUBLIC_KEY: an OAuth 2.1 resource server)',
);
const server = spawn(process.execPath, [join(out, 'dist/index.js')], {
  env: {
    PATH: process.env.PATH,
    MCP_TRANSPORT: 'http',
    PORT: '0',
    MCP_PUBLIC_URL: RESOURCE,
    OAUTH_ISSUER: ISSUER,
    // Your authorization server's JWKS is found from OAUTH_ISSUER; the demo has none, so it names its key.
    OAUTH_PUBLIC_KEY: JSON.stringify(publicJwk),
    UPSTREAM_BASE_URL: upstream,
    UPSTREAM_CLINIC_KEY: 'demo-key',
  },
  stdio: ['ignore', 'inherit', 'pipe'],
});
const url = await new Promise((resolve, reject) => {
  let seen = '';
  server.stderr.on('data', (c) => {
    seen += c;
    // Audit lines, one per decision, are the server's; show them dimmed beside the story.
    for (const line of String(c).split('\n').filter(Boolean)) console.log(`  \x1b[2mserver: ${line}\x1b[0m`);
    const m = /"url":"([^"]+)"/.exec(seen);
    if (m) resolve(m[1]);
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const post = (body, bearer) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify(body),
  });

step('a client without a token: 401, and where to find out how to get one');
const anonymous = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
console.log(`  HTTP ${anonymous.status}  WWW-Authenticate: ${anonymous.headers.get('www-authenticate')}`);
const metadata = await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', url))).json();
console.log(`  RFC 9728 metadata: ${JSON.stringify(metadata)}`);

step('an MCP client with a token for scope "pets:read" (no role)');
const reader = await token('pets:read');
const client = new Client({ name: 'openapi-to-mcp-demo', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: { token: async () => reader } }));
const { tools } = await client.listTools();
for (const t of tools)
  console.log(`  tool ${t.name.padEnd(14)} needs ${JSON.stringify(t._meta?.['openapi-to-mcp/scopes'])}`);
const call = async (c, name, args) => {
  step(`callTool ${name} ${JSON.stringify(args)}`);
  const result = await c.callTool({ name, arguments: args });
  console.log(`  result${result.isError ? ' (error)' : ''}: ${result.content.map((x) => x.text).join(' ')}`);
};
await call(client, 'listOwnerPets', { ownerId: 'ann', species: ['cat', 'dog'] });
await client.close();

step('the same token calls createPet, which needs "pets:write": 403, and the scope to ask for');
const denied = await post(
  {
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'createPet', arguments: { ownerId: 'ann', body: { name: 'Rex' } } },
  },
  reader,
);
console.log(`  HTTP ${denied.status}  WWW-Authenticate: ${denied.headers.get('www-authenticate')}`);

step('step-up: a new token with "pets:write" (which implies pets:read)');
const writer = new Client({ name: 'openapi-to-mcp-demo', version: '1.0.0' });
const writerToken = await token('pets:write');
await writer.connect(
  new StreamableHTTPClientTransport(new URL(url), { authProvider: { token: async () => writerToken } }),
);
await call(writer, 'createPet', { ownerId: 'ann', body: { name: 'Rex', species: 'dog' } });

step('deletePet is for vets only: without the role, 403 and no scope would help');
const noRole = await post(
  { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'deletePet', arguments: { petId: 2 } } },
  writerToken,
);
console.log(`  HTTP ${noRole.status}  ${await noRole.text()}`);
await writer.close();

const vet = new Client({ name: 'openapi-to-mcp-demo', version: '1.0.0' });
const vetToken = await token('pets:write', ['vet']);
await vet.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: { token: async () => vetToken } }));
await call(vet, 'deletePet', { petId: 2 });
await vet.close();

server.kill();
api.close();
step(`done. The API never saw a client's token, only its own key. The generated project is in ${out}`);
