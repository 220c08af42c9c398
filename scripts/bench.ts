import { resolve } from 'node:path';
// `npm run bench`: how large GitHub's REST API is as MCP tools, per tool mode. Generates the
// project in memory (load -> model -> plan -> emit -> format), serves its AppDefinition with the
// real runtime over HTTP on 127.0.0.1 (MCP_AUTH=none), and measures what a client receives.
// Prints figures only: no thresholds. Usage: npm run bench [-- <spec>]
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { generate } from '../src/index.js';
import type { AppDefinition, ToolMode } from '../templates/runtime/mcp/types.js';
import { loadConfig } from '../templates/runtime/server/config.js';
import { createServerFactory } from '../templates/runtime/server/create-server.js';
import { startHttpServer } from '../templates/runtime/server/http-server.js';

// Run from the repository root (npm run bench): the specs live beside it, in ../shared/specs.
const spec = process.argv[2] ?? resolve('../shared/specs/github-rest.json');
if (!existsSync(spec) && !/^https?:/.test(spec)) {
  console.error(`bench: no spec at ${spec}; pass one: npm run bench -- <spec>`);
  process.exit(2);
}
const RUNS = 5;

const started = performance.now();
const result = await generate(spec, { toolMode: 'static' });
const generateSeconds = (performance.now() - started) / 1000;
const rssAfterGenerate = process.resourceUsage().maxRSS * 1024;
if (result.files.length === 0) {
  console.error(`bench: ${spec} did not generate (${result.diagnostics.filter((d) => d.severity === 'error').length} errors)`);
  process.exit(1);
}
const { model } = result;
const app: AppDefinition = {
  server: model.server,
  tools: model.tools,
  defs: model.defs,
  schemes: Object.fromEntries(model.schemes.flatMap((s) => (s.upstream ? [[s.name, s.upstream]] : []))),
  authorization: model.authorization,
};

interface Row {
  mode: ToolMode;
  listed: number;
  startMs: number;
  listBytes: number;
  listMs: number;
  searchBytes?: number;
  describeBytes?: number;
}

const rows: Row[] = [];
for (const mode of ['static', 'dynamic'] as const) rows.push(await measure(mode));

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const n = (value: number) => value.toLocaleString('en-US');
console.log(`\n${spec}: ${n(model.tools.length)} tools, ${n(Object.keys(model.defs).length)} shared schemas`);
console.log(`generate (in memory, ${n(result.files.length)} files): ${generateSeconds.toFixed(1)} s, peak RSS ${mb(rssAfterGenerate)}\n`);
table(
  ['mode', 'tools listed', 'server start ms', 'tools/list bytes', `tools/list ms (median of ${RUNS})`, 'search bytes', 'describe bytes'],
  rows.map((r) => [r.mode, n(r.listed), r.startMs.toFixed(0), n(r.listBytes), r.listMs.toFixed(0), r.searchBytes ? n(r.searchBytes) : '-', r.describeBytes ? n(r.describeBytes) : '-']),
);
console.log(`\npeak RSS of the whole run: ${mb(process.resourceUsage().maxRSS * 1024)}`);
process.exit(0);

async function measure(mode: ToolMode): Promise<Row> {
  const env = { MCP_TRANSPORT: 'http', MCP_AUTH: 'none', HOST: '127.0.0.1', PORT: '0', MCP_TOOL_MODE: mode, UPSTREAM_BASE_URL: 'http://127.0.0.1:9' };
  const config = loadConfig(app, env);
  const t0 = performance.now();
  const factory = createServerFactory({ app, upstream: { baseUrl: config.upstreamBaseUrl, env }, toolMode: mode });
  const server = await startHttpServer(config, factory, () => {});
  const startMs = performance.now() - t0;
  try {
    const times: number[] = [];
    let list: { bytes: number; result: { tools?: unknown[] } } | undefined;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      list = await rpc(server.url, 'tools/list', {});
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const row: Row = { mode, listed: list?.result.tools?.length ?? 0, startMs, listBytes: list?.bytes ?? 0, listMs: times[Math.floor(RUNS / 2)] ?? 0 };
    if (mode === 'dynamic') {
      const search = await rpc(server.url, 'tools/call', { name: 'search_tools', arguments: { query: 'list repository issues' } });
      const first = (search.result as { structuredContent?: { tools?: { name: string }[] } }).structuredContent?.tools?.[0]?.name ?? '';
      const describe = await rpc(server.url, 'tools/call', { name: 'describe_tool', arguments: { name: first } });
      return { ...row, searchBytes: search.bytes, describeBytes: describe.bytes };
    }
    return row;
  } finally {
    await server.close();
  }
}

/** One JSON-RPC request; `bytes` is the size of its `result` as JSON, what a client hands on. */
async function rpc(url: string, method: string, params: object): Promise<{ bytes: number; result: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('text/event-stream')
    ? text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('')
    : text;
  const message = JSON.parse(json) as { result?: Record<string, unknown>; error?: { message: string } };
  if (!message.result) throw new Error(`${method} failed: ${message.error?.message ?? response.status}`);
  return { bytes: Buffer.byteLength(JSON.stringify(message.result)), result: message.result };
}

function table(head: readonly string[], body: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of body) console.log(line(row));
}
