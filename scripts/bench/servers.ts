import { join } from 'node:path';
import { buildGeneratedProject } from './generated-project.js';
import { freePort, startGeneratedServer } from './generated-server.js';
import type { RunningServer } from './generated-server.js';
import { startHelper } from './helper-process.js';
import { HttpClient } from './http-client.js';
import { loadRun } from './load.js';
import { mcpHeaders, rpcBody, rpcResult } from './mcp-request.js';
import type { BenchIssuer } from './oauth-issuer.js';
import { BENCH_CACHE } from './paths.js';
import { median, percentile } from './stats.js';

/** A generated server and the one call the bench makes on it. */
export interface ServerCase {
  readonly name: string;
  readonly spec: string;
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
  /** The request the tool makes, below UPSTREAM_BASE_URL (the direct call and the bare proxy make it too). */
  readonly upstreamPath: string;
  /** What the stub answers: valid against the tool's output schema. */
  readonly upstreamBody: unknown;
}

export interface ServerSettings {
  readonly warmup: number;
  readonly samples: number;
  readonly listRuns: number;
  readonly connections: number;
  readonly loadSeconds: number;
}

export type AuthMode = 'none' | 'oauth';

export interface ServerRow {
  readonly server: string;
  readonly auth: AuthMode;
  readonly coldStartMs?: number;
  readonly rssAfterStart?: number;
  readonly tools?: number;
  readonly pages?: number;
  readonly listBytes?: number;
  /** The largest single page (some clients cap one SSE event at 1 MiB). */
  readonly largestPage?: number;
  readonly listMs?: number;
  readonly callP50Ms?: number;
  readonly callP99Ms?: number;
  readonly directP50Ms?: number;
  readonly directP99Ms?: number;
  readonly rps?: number;
  readonly rps2?: number;
  readonly proxyRps?: number;
  readonly rssAfterLoad1?: number;
  readonly rssAfterLoad2?: number;
  /** Failed requests in the load runs (non-2xx, errors, timeouts). */
  readonly failures?: number;
  readonly error?: string;
}

/**
 * For each case: generate, install (shared), build; start the upstream stub;
 * time the call made directly and through a bare node:http proxy; then start
 * the generated server once per auth mode, each in its own process, and
 * measure start, listing, call latency, load and memory.
 */
export async function measureServers(
  cases: readonly ServerCase[],
  auths: readonly AuthMode[],
  settings: ServerSettings,
  issuer: BenchIssuer,
  progress: (line: string) => void,
): Promise<ServerRow[]> {
  const rows: ServerRow[] = [];
  for (const serverCase of cases) {
    const projectDir = join(BENCH_CACHE, 'servers', serverCase.name);
    progress(`server ${serverCase.name}: generate, build`);
    try {
      buildGeneratedProject(serverCase.spec, projectDir);
    } catch (error) {
      for (const auth of auths) rows.push({ server: serverCase.name, auth, error: message(error) });
      continue;
    }
    const stub = await startHelper('upstream-stub.js', { BENCH_STUB_BODY: JSON.stringify(serverCase.upstreamBody) });
    const client = new HttpClient();
    try {
      const upstreamUrl = `http://127.0.0.1:${stub.port}/base${serverCase.upstreamPath}`;
      const direct = await latencies(settings, () => client.send(upstreamUrl, 'GET', { accept: 'application/json' }).then(() => undefined));
      progress(`  direct call p50 ${direct.p50.toFixed(3)} ms; bare proxy load ${settings.loadSeconds} s`);
      const callBody = rpcBody('tools/call', { name: serverCase.tool, arguments: serverCase.arguments });
      const proxy = await startHelper('bare-proxy.js', { BENCH_UPSTREAM_URL: upstreamUrl });
      const proxyLoad = await loadRun(`http://127.0.0.1:${proxy.port}/mcp`, mcpHeaders(), callBody, settings.connections, settings.loadSeconds).finally(
        () => proxy.stop(),
      );
      progress(`  bare proxy ${proxyLoad.rps.toFixed(0)} req/s`);
      for (const auth of auths) {
        const base = { server: serverCase.name, auth, directP50Ms: direct.p50, directP99Ms: direct.p99, proxyRps: proxyLoad.rps };
        try {
          rows.push({ ...base, ...(await measureServer(serverCase, auth, projectDir, `http://127.0.0.1:${stub.port}/base`, callBody, settings, issuer, client, progress)) });
        } catch (error) {
          progress(`  ${auth}: ${message(error)}`);
          rows.push({ ...base, error: message(error) });
        }
      }
    } finally {
      client.close();
      await stub.stop();
    }
  }
  return rows;
}

async function measureServer(
  serverCase: ServerCase,
  auth: AuthMode,
  projectDir: string,
  upstreamBase: string,
  callBody: string,
  settings: ServerSettings,
  issuer: BenchIssuer,
  client: HttpClient,
  progress: (line: string) => void,
): Promise<Partial<ServerRow>> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/mcp`;
  const env: Record<string, string> = {
    MCP_TRANSPORT: 'http',
    HOST: '127.0.0.1',
    PORT: String(port),
    MCP_AUTH: auth,
    UPSTREAM_BASE_URL: upstreamBase,
    ...(auth === 'oauth' ? { MCP_PUBLIC_URL: publicUrl, OAUTH_ISSUER: issuer.issuer, OAUTH_JWKS_URI: issuer.jwksUri } : {}),
  };
  // Until the server states its scopes (RFC 9728 `scopes_supported`), a token without any.
  const probe = auth === 'oauth' ? await issuer.token(publicUrl, []) : undefined;
  const logFile = join(BENCH_CACHE, `server-${serverCase.name}-${auth}.log`);
  const server = await startGeneratedServer(projectDir, env, client, logFile, probe);
  try {
    const rssAfterStart = server.rssBytes();
    const token = auth === 'oauth' ? await issuer.token(publicUrl, await scopesSupported(port, client)) : undefined;
    const headers = mcpHeaders(token);
    const list = await listAll(server, headers, client, settings.listRuns);
    if (!list.names.has(serverCase.tool)) throw new Error(`tools/list has no tool ${serverCase.tool}`);
    rpcResult(await client.send(server.url, 'POST', headers, callBody), `tools/call ${serverCase.tool}`);
    const call = await latencies(settings, async () => {
      rpcResult(await client.send(server.url, 'POST', headers, callBody), `tools/call ${serverCase.tool}`);
    });
    progress(`  ${auth}: cold start ${server.coldStartMs.toFixed(0)} ms, ${list.tools} tools in ${list.pages} page(s), call p50 ${call.p50.toFixed(3)} ms; load 2 x ${settings.loadSeconds} s`);
    const first = await loadRun(server.url, headers, callBody, settings.connections, settings.loadSeconds);
    const rssAfterLoad1 = server.rssBytes();
    const second = await loadRun(server.url, headers, callBody, settings.connections, settings.loadSeconds);
    const rssAfterLoad2 = server.rssBytes();
    progress(`  ${auth}: ${first.rps.toFixed(0)} then ${second.rps.toFixed(0)} req/s`);
    return {
      coldStartMs: server.coldStartMs,
      rssAfterStart,
      tools: list.tools,
      pages: list.pages,
      listBytes: list.bytes,
      largestPage: list.largestPage,
      listMs: list.ms,
      callP50Ms: call.p50,
      callP99Ms: call.p99,
      rps: first.rps,
      rps2: second.rps,
      rssAfterLoad1,
      rssAfterLoad2,
      failures: first.failures + second.failures,
    };
  } finally {
    await server.stop();
  }
}

/** Every page of `tools/list`, following `nextCursor`; bytes are the HTTP bodies received. Median time of `runs`. */
async function listAll(server: RunningServer, headers: Record<string, string>, client: HttpClient, runs: number) {
  const times: number[] = [];
  let bytes = 0;
  let pages = 0;
  let largestPage = 0;
  const names = new Set<string>();
  let tools = 0;
  for (let run = 0; run < runs; run++) {
    bytes = 0;
    pages = 0;
    largestPage = 0;
    tools = 0;
    names.clear();
    let cursor: string | undefined;
    let ms = 0;
    do {
      const answer = await client.send(server.url, 'POST', headers, rpcBody('tools/list', cursor === undefined ? {} : { cursor }));
      ms += answer.ms;
      bytes += answer.body.length;
      largestPage = Math.max(largestPage, answer.body.length);
      pages++;
      const result = rpcResult(answer, 'tools/list');
      for (const tool of (result.tools ?? []) as { name: string }[]) names.add(tool.name);
      tools += ((result.tools ?? []) as unknown[]).length;
      cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
      if (pages > 10_000) throw new Error('tools/list: more than 10,000 pages');
    } while (cursor !== undefined);
    times.push(ms);
  }
  return { bytes, pages, largestPage, tools, names, ms: median(times) };
}

async function scopesSupported(port: number, client: HttpClient): Promise<string[]> {
  // RFC 9728 §3.1: the metadata of resource http://h/mcp is at /.well-known/oauth-protected-resource/mcp.
  const answer = await client.send(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`, 'GET', {});
  if (answer.status !== 200) throw new Error(`protected resource metadata: HTTP ${answer.status}`);
  const document = JSON.parse(answer.body.toString('utf8')) as { scopes_supported?: string[] };
  return document.scopes_supported ?? [];
}

/** Sequential calls over one keep-alive connection: `warmup` unmeasured, then `samples` timed. */
async function latencies(settings: ServerSettings, call: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < settings.warmup; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < settings.samples; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
