// usage: node coldstart.mjs <dist/index.js>  -> ms to first tools/list answered (stdio), and import-only time
import { spawn } from 'node:child_process';
const entry = process.argv[2];
const t0 = performance.now();
const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, MCP_TRANSPORT: 'stdio', UPSTREAM_BASE_URL: 'http://127.0.0.1:9' }, stdio: ['pipe', 'pipe', 'inherit'] });
let buf = '';
const send = (m) => child.stdin.write(JSON.stringify(m) + '\n');
send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
child.stdout.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const msg = JSON.parse(line);
    if (msg.id === 1) { send({ jsonrpc: '2.0', method: 'notifications/initialized' }); send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }); }
    if (msg.id === 2) { console.log(`first tools/list: ${(performance.now() - t0).toFixed(0)} ms, ${msg.result.tools.length} tools, ${line.length} bytes`); child.kill(); }
  }
});
