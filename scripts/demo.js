#!/usr/bin/env node
// The demo a new user can watch: generate an MCP server from the bundled example spec, install,
// build and test it as a user would, then start it and drive it with a real MCP client against a
// small local stand-in for the API. Everything stays on 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = join(repo, 'fixtures/petstore-3.1.yaml');
const out = join(repo, '.cache/demo/pet-clinic-mcp');
const step = (text) => console.log(`\n\u25b6 ${text}`);
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

step(`openapi-to-mcp generate fixtures/petstore-3.1.yaml -o ${out}`);
rmSync(out, { recursive: true, force: true });
sh(process.execPath, [join(repo, 'bin/openapi-to-mcp.js'), 'inspect', spec], repo);
sh(process.execPath, [join(repo, 'bin/openapi-to-mcp.js'), 'generate', spec, '-o', out], repo);

step('npm install && npm run build && npm test   (inside the generated project)');
sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], out);
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

step('node dist/index.js   (MCP_TRANSPORT=http MCP_AUTH=none: loopback only, local development)');
const server = spawn(process.execPath, [join(out, 'dist/index.js')], {
  env: { ...process.env, MCP_TRANSPORT: 'http', MCP_AUTH: 'none', PORT: '0', UPSTREAM_BASE_URL: upstream, UPSTREAM_CLINIC_KEY: 'demo-key' },
  stdio: ['ignore', 'inherit', 'pipe'],
});
const url = await new Promise((resolve, reject) => {
  let seen = '';
  server.stderr.on('data', (c) => {
    seen += c;
    process.stderr.write(c);
    const m = /"url":"([^"]+)"/.exec(seen);
    if (m) resolve(m[1]);
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

step(`an MCP client connects to ${url}`);
const client = new Client({ name: 'openapi-to-mcp-demo', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const { tools } = await client.listTools();
for (const t of tools) console.log(`  tool ${t.name.padEnd(14)} ${t.description}`);

for (const [name, args] of [
  ['listOwnerPets', { ownerId: 'ann', species: ['cat', 'dog'] }],
  ['createPet', { ownerId: 'ann', body: { name: 'Rex', species: 'dog' } }],
  ['deletePet', { petId: 2 }],
]) {
  step(`callTool ${name} ${JSON.stringify(args)}`);
  const result = await client.callTool({ name, arguments: args });
  console.log(`  result${result.isError ? ' (error)' : ''}: ${result.content.map((c) => c.text).join(' ')}`);
}

await client.close();
server.kill();
api.close();
step(`done. The generated project is in ${out}`);
