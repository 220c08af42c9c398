import { join } from 'node:path';
import { buildGeneratedProject } from './generated-project.js';
import { freePort } from './free-port.js';
import { startGeneratedServer } from './generated-server.js';
import type { RunningServer } from './generated-server.js';
import { startHelper } from './helper-process.js';
import { cpuMs } from './child-process.js';
import { HttpClient } from './http-client.js';
import { loadRun } from './load.js';
import type { LoadResult } from './load.js';
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
  /** A `search_tools` query for the dynamic-mode run; without it the case has no such run. */
  readonly searchQuery?: string;
}

export interface ServerSettings {
  readonly warmup: number;
  readonly samples: number;
  readonly listRuns: number;
  readonly connections: number;
  readonly loadSeconds: number;
  readonly loadRounds: number;
}

export type AuthMode = 'none' | 'oauth';

export interface ServerRow {
  readonly server: string;
  readonly auth: AuthMode;
  /** `dynamic`: MCP_TOOL_MODE=dynamic (three meta-tools); listing and lookup sizes only, no load. */
  readonly toolMode: 'static' | 'dynamic';
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
  /** Median over the alternated load rounds (`rpsRuns`, `proxyRpsRuns`: each round's figure). */
  readonly rps?: number;
  readonly rpsRuns?: readonly number[];
  readonly proxyRps?: number;
  readonly proxyRpsRuns?: readonly number[];
  /** CPU (user + system) of the server process per successful call over all its load runs, and of the bare proxy over its runs. */
  readonly cpuUsPerCall?: number;
  readonly proxyCpuUsPerCall?: number;
  /** The minimal MCP handler (scripts/bench/minimal-mcp.ts) under the same load; measured in the `none` rows only. */
  readonly minimalRps?: number;
  readonly minimalCpuUsPerCall?: number;
  readonly rssAfterLoad1?: number;
  readonly rssAfterLoad2?: number;
  /** Dynamic mode: the HTTP body of a `search_tools` answer and of `describe_tool` on its first hit. */
  readonly searchBytes?: number;
  readonly describeBytes?: number;
  /** Failed requests in the load runs (non-2xx, errors, timeouts). */
  readonly failures?: number;
  readonly error?: string;
}

/**
 * For each case: generate, install (shared), build; start the upstream stub
 * and a bare node:http proxy to it; then start the generated server once per
 * auth mode, each in its own process, and measure start, listing, call
 * latency against the direct call, load against the proxy, and memory.
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
      for (const auth of auths) rows.push({ server: serverCase.name, auth, toolMode: 'static', error: message(error) });
      continue;
    }
    const stub = await startHelper('upstream-stub.js', { BENCH_STUB_BODY: JSON.stringify(serverCase.upstreamBody) });
    const upstreamUrl = `http://127.0.0.1:${stub.port}/base${serverCase.upstreamPath}`;
    const proxy = await startHelper('bare-proxy.js', { BENCH_UPSTREAM_URL: upstreamUrl });
    const minimal = await startHelper('minimal-mcp.js', { BENCH_UPSTREAM_URL: upstreamUrl });
    const client = new HttpClient();
    try {
      const run: ServerRun = {
        serverCase,
        projectDir,
        upstreamBase: `http://127.0.0.1:${stub.port}/base`,
        upstreamUrl,
        proxyUrl: `http://127.0.0.1:${proxy.port}/mcp`,
        proxyPid: proxy.pid,
        minimal: { url: `http://127.0.0.1:${minimal.port}/mcp`, pid: minimal.pid },
        callBody: rpcBody('tools/call', { name: serverCase.tool, arguments: serverCase.arguments }),
        settings,
        issuer,
        client,
        progress,
      };
      for (const auth of auths) {
        const base = { server: serverCase.name, auth, toolMode: 'static' as const };
        try {
          rows.push({ ...base, ...(await measureServer(run, auth)) });
        } catch (error) {
          progress(`  ${auth}: ${message(error)}`);
          rows.push({ ...base, error: message(error) });
        }
      }
      if (serverCase.searchQuery !== undefined) {
        const base = { server: serverCase.name, auth: 'none' as const, toolMode: 'dynamic' as const };
        try {
          rows.push({ ...base, ...(await measureDynamic(run, serverCase.searchQuery)) });
        } catch (error) {
          progress(`  dynamic: ${message(error)}`);
          rows.push({ ...base, error: message(error) });
        }
      }
    } finally {
      client.close();
      await proxy.stop();
      await minimal.stop();
      await stub.stop();
    }
  }
  return rows;
}

/** Seconds of unmeasured load before each measured load run. */
const WARMUP_LOAD_S = 1;

/** What every run of one generated project shares. */
interface ServerRun {
  readonly serverCase: ServerCase;
  readonly projectDir: string;
  readonly upstreamBase: string;
  /** The tool's upstream request, made directly (latency floor) and by the bare proxy (throughput floor). */
  readonly upstreamUrl: string;
  readonly proxyUrl: string;
  readonly proxyPid: number;
  /** The minimal MCP handler: the floor of what any MCP server does per call. */
  readonly minimal: { readonly url: string; readonly pid: number };
  readonly callBody: string;
  readonly settings: ServerSettings;
  readonly issuer: BenchIssuer;
  readonly client: HttpClient;
  readonly progress: (line: string) => void;
}

async function measureServer(run: ServerRun, auth: AuthMode): Promise<Partial<ServerRow>> {
  const {
    serverCase,
    projectDir,
    upstreamBase,
    upstreamUrl,
    proxyUrl,
    proxyPid,
    minimal,
    callBody,
    settings,
    issuer,
    client,
    progress,
  } = run;
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/mcp`;
  const env: Record<string, string> = {
    MCP_TRANSPORT: 'http',
    HOST: '127.0.0.1',
    PORT: String(port),
    MCP_AUTH: auth,
    UPSTREAM_BASE_URL: upstreamBase,
    ...(auth === 'oauth'
      ? { MCP_PUBLIC_URL: publicUrl, OAUTH_ISSUER: issuer.issuer, OAUTH_JWKS_URI: issuer.jwksUri }
      : {}),
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
    // The floors are measured next to the server's own figures, so both see the same machine load.
    const direct = await latencies(settings, () =>
      client.send(upstreamUrl, 'GET', { accept: 'application/json' }).then(() => undefined),
    );
    const call = await latencies(settings, async () => {
      rpcResult(await client.send(server.url, 'POST', headers, callBody), `tools/call ${serverCase.tool}`);
    });
    progress(
      `  ${auth}: cold start ${server.coldStartMs.toFixed(0)} ms, ${list.tools} tools in ${list.pages} page(s), call p50 ${call.p50.toFixed(3)} ms (direct ${direct.p50.toFixed(3)} ms); load: ${settings.loadRounds} rounds of proxy, ${auth === 'none' ? 'minimal MCP, ' : ''}server, ${settings.loadSeconds} s each`,
    );
    const run = (url: string) => loadRun(url, headers, callBody, settings.connections, settings.loadSeconds);
    // Each target is loaded unmeasured for WARMUP_LOAD_S first, so that no figure includes JIT
    // compilation or the first growth of the heap and the socket pools: the same for all three.
    const warm = (url: string) => loadRun(url, headers, callBody, settings.connections, WARMUP_LOAD_S);
    await warm(proxyUrl);
    if (auth === 'none') await warm(minimal.url);
    await warm(server.url);
    // Alternated rounds, medians: a single run of each, one after the other, moved with whatever
    // else the machine did in those seconds by about as much as the differences being measured.
    const proxyRuns: MeasuredLoad[] = [];
    const minimalRuns: MeasuredLoad[] = [];
    const serverRuns: MeasuredLoad[] = [];
    let rssAfterLoad1 = 0;
    for (let round = 0; round < settings.loadRounds; round++) {
      proxyRuns.push(await withCpu(proxyPid, () => run(proxyUrl)));
      if (auth === 'none') minimalRuns.push(await withCpu(minimal.pid, () => run(minimal.url)));
      serverRuns.push(await withCpu(server.pid, () => run(server.url)));
      if (round === 0) rssAfterLoad1 = server.rssBytes();
    }
    const rssAfterLoad2 = server.rssBytes();
    const served = summarize(serverRuns);
    const proxied = summarize(proxyRuns);
    const minimalLoad = minimalRuns.length > 0 ? summarize(minimalRuns) : undefined;
    progress(
      `  ${auth}: ${serverRuns.map((r) => r.rps.toFixed(0)).join(' / ')} req/s, ${served.cpuUsPerCall.toFixed(0)} µs CPU/call; bare proxy ${proxyRuns.map((r) => r.rps.toFixed(0)).join(' / ')} req/s, ${proxied.cpuUsPerCall.toFixed(0)} µs CPU/call${minimalLoad ? `; minimal MCP handler ${minimalRuns.map((r) => r.rps.toFixed(0)).join(' / ')} req/s, ${minimalLoad.cpuUsPerCall.toFixed(0)} µs CPU/call` : ''}`,
    );
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
      directP50Ms: direct.p50,
      directP99Ms: direct.p99,
      rps: served.rps,
      rpsRuns: serverRuns.map((r) => r.rps),
      rssAfterLoad1,
      rssAfterLoad2,
      proxyRps: proxied.rps,
      proxyRpsRuns: proxyRuns.map((r) => r.rps),
      cpuUsPerCall: served.cpuUsPerCall,
      proxyCpuUsPerCall: proxied.cpuUsPerCall,
      ...(minimalLoad ? { minimalRps: minimalLoad.rps, minimalCpuUsPerCall: minimalLoad.cpuUsPerCall } : {}),
      failures: [...serverRuns, ...proxyRuns, ...minimalRuns].reduce((sum, r) => sum + r.failures, 0),
    };
  } finally {
    await server.stop();
  }
}

/** MCP_TOOL_MODE=dynamic, MCP_AUTH=none: start, listing, and what one lookup (search, then describe the first hit) costs. */
async function measureDynamic(run: ServerRun, query: string): Promise<Partial<ServerRow>> {
  const { serverCase, projectDir, upstreamBase, settings, client, progress } = run;
  const port = await freePort();
  const env = {
    MCP_TRANSPORT: 'http',
    HOST: '127.0.0.1',
    PORT: String(port),
    MCP_AUTH: 'none',
    MCP_TOOL_MODE: 'dynamic',
    UPSTREAM_BASE_URL: upstreamBase,
  };
  const server = await startGeneratedServer(
    projectDir,
    env,
    client,
    join(BENCH_CACHE, `server-${serverCase.name}-dynamic.log`),
  );
  try {
    const rssAfterStart = server.rssBytes();
    const headers = mcpHeaders();
    const list = await listAll(server, headers, client, settings.listRuns);
    const search = await client.send(
      server.url,
      'POST',
      headers,
      rpcBody('tools/call', { name: 'search_tools', arguments: { query } }),
    );
    const hits =
      (rpcResult(search, 'search_tools').structuredContent as { tools?: { name: string }[] } | undefined)?.tools ?? [];
    const first = hits[0]?.name;
    if (!first) throw new Error(`search_tools found nothing for "${query}"`);
    const describe = await client.send(
      server.url,
      'POST',
      headers,
      rpcBody('tools/call', { name: 'describe_tool', arguments: { name: first } }),
    );
    rpcResult(describe, 'describe_tool');
    progress(
      `  dynamic: ${list.tools} tools, ${list.bytes} bytes; search ${search.body.length} bytes, describe ${first} ${describe.body.length} bytes`,
    );
    return {
      coldStartMs: server.coldStartMs,
      rssAfterStart,
      tools: list.tools,
      pages: list.pages,
      listBytes: list.bytes,
      largestPage: list.largestPage,
      listMs: list.ms,
      searchBytes: search.body.length,
      describeBytes: describe.body.length,
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
      const answer = await client.send(
        server.url,
        'POST',
        headers,
        rpcBody('tools/list', cursor === undefined ? {} : { cursor }),
      );
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

/** A load run with the CPU (user + system) the process `pid` used per successful call; NaN without any. */
/** One load run and the CPU (ms, user + system, from /proc) the measured process spent in it. */
type MeasuredLoad = LoadResult & { readonly cpuMs: number };

async function withCpu(pid: number, run: () => Promise<LoadResult>): Promise<MeasuredLoad> {
  const before = cpuMs(pid);
  const result = await run();
  return { ...result, cpuMs: cpuMs(pid) - before };
}

/** The median throughput of a target's runs, and its CPU per call over all of them. */
function summarize(runs: readonly MeasuredLoad[]): { rps: number; cpuUsPerCall: number } {
  const calls = runs.reduce((sum, r) => sum + r.calls, 0);
  const cpu = runs.reduce((sum, r) => sum + r.cpuMs, 0);
  return { rps: median(runs.map((r) => r.rps)), cpuUsPerCall: calls > 0 ? (cpu * 1000) / calls : Number.NaN };
}
