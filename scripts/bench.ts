// `npm run bench`: the figures of issue 8, each taken from outside the measured process.
//   generation  our CLI and openapi-mcp-generator 4.0.1 on real and synthetic specs: wall, CPU, peak RSS
//   startup     `openapi-to-mcp --version` against `node -e 0`
//   servers     generated GitHub and petstore servers (MCP_AUTH none and oauth): cold start, RSS,
//               tools/list, tools/call overhead over the upstream, throughput against a bare proxy
// Prints markdown tables (also written to .cache/bench/results.md, raw figures to results.json). No thresholds: figures only.
// Usage: npm run bench [-- --quick] [-- --only=generation,startup,servers]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureCliStartup } from './bench/cli-startup.js';
import type { StartupRow } from './bench/cli-startup.js';
import { generationOutputRoot, measureGeneration } from './bench/generation.js';
import type { GenerationRow } from './bench/generation.js';
import { planGeneration } from './bench/generation-inputs.js';
import type { GenerationPlan } from './bench/generation-inputs.js';
import { commitLine, loadLine, machineLine } from './bench/machine.js';
import { fixed, markdownTable, megabytes, percent, ratio } from './bench/markdown.js';
import { parseBenchArgs } from './bench/options.js';
import type { BenchOptions } from './bench/options.js';
import { startIssuer } from './bench/oauth-issuer.js';
import { BENCH_CACHE, SPECS, assertRepoRoot } from './bench/paths.js';
import { measureServers } from './bench/servers.js';
import type { ServerCase, ServerRow } from './bench/servers.js';

const SERVER_CASES: readonly ServerCase[] = [
  {
    name: 'petstore',
    spec: join(SPECS, 'oai-petstore-expanded.yaml'),
    tool: 'find_pet_by_id',
    arguments: { id: 1 },
    upstreamPath: '/pets/1',
    upstreamBody: { id: 1, name: 'Rex', tag: 'dog' },
  },
  {
    name: 'github',
    spec: join(SPECS, 'github-rest.json'),
    // A path parameter in, an output schema out (so structuredContent is validated), a small body.
    tool: 'activity_get-thread-subscription-for-authenticated-user',
    arguments: { thread_id: 1 },
    upstreamPath: '/notifications/threads/1/subscription',
    searchQuery: 'list repository issues',
    upstreamBody: {
      subscribed: true,
      ignored: false,
      reason: null,
      created_at: '2012-10-06T21:34:12Z',
      url: 'https://api.github.com/notifications/threads/1/subscription',
      thread_url: 'https://api.github.com/notifications/threads/1',
    },
  },
];

const progress = (line: string) => process.stderr.write(`${line}\n`);

let options: BenchOptions;
let generationPlan: GenerationPlan | undefined;
try {
  options = parseBenchArgs(process.argv.slice(2));
  assertRepoRoot();
  if (options.sections.includes('generation')) generationPlan = planGeneration(options.inputs, options.quick);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

const startedAt = new Date();
const loadAtStart = loadLine();
let generation: GenerationRow[] | undefined;
const generationOutput = generationOutputRoot();
let startup: StartupRow[] | undefined;
let servers: ServerRow[] | undefined;

if (options.sections.includes('startup')) {
  progress('startup: --version against node -e 0');
  startup = await measureCliStartup(options.startupRuns);
}
if (generationPlan) {
  progress(`generation: ${generationPlan.labels.join(', ')}`);
  const inputs = generationPlan.inputs();
  generation = await measureGeneration(
    inputs,
    generationOutput,
    options.generationRuns,
    options.generationTimeoutS * 1000,
    progress,
  );
}
if (options.sections.includes('servers')) {
  const issuer = await startIssuer();
  try {
    servers = await measureServers(
      SERVER_CASES,
      ['none', 'oauth'],
      {
        warmup: options.warmup,
        samples: options.samples,
        listRuns: options.listRuns,
        connections: options.connections,
        loadSeconds: options.loadSeconds,
        loadRounds: options.loadRounds,
      },
      issuer,
      progress,
    );
  } finally {
    await issuer.close();
  }
}

const report = render();
mkdirSync(BENCH_CACHE, { recursive: true });
writeFileSync(join(BENCH_CACHE, 'results.md'), report);
// The raw figures too, so a later run can be compared with this one without parsing the table.
writeFileSync(
  join(BENCH_CACHE, 'results.json'),
  `${JSON.stringify({ startedAt, commit: commitLine(), machine: machineLine(), options, generation, startup, servers }, null, 2)}\n`,
);
process.stdout.write(report);
process.exit(0);

function render(): string {
  const out: string[] = [];
  const date = startedAt.toISOString().replace('T', ' ').slice(0, 16);
  out.push(`### \`npm run bench\`${options.quick ? ' --quick' : ''}: ${date} UTC, commit ${commitLine()}`, '');
  out.push(`Machine: ${machineLine()}. Load average (1/5/15 min) at start ${loadAtStart}, at end ${loadLine()}.`, '');
  if (generation) {
    out.push(
      `**Generation** (one process per run, measured from outside: wall, CPU = user + sys, peak RSS; each the median of ${options.generationRuns} runs of each generator, alternated; peer = openapi-mcp-generator 4.0.1; both write into ${generationOutput.tmpfs ? 'tmpfs (/dev/shm): on this disk, creating files soon after deleting files is slow, see scripts/bench/generation.ts' : generationOutput.root})`,
      '',
    );
    out.push(
      markdownTable(
        [
          'input',
          'ops',
          'wall s',
          'peer wall s',
          'wall ours/peer',
          'CPU s',
          'peer CPU s',
          'CPU ours/peer',
          'peak RSS MB',
          'peer RSS MB',
          'RSS ours/peer',
          'wall s per run, ours / peer',
        ],
        generation.map((row) => {
          const ours = row.ours.status === 0 ? row.ours : undefined;
          const peer = row.peer.status === 0 ? row.peer : undefined;
          return [
            row.label,
            fixed(row.operations, 0),
            failed(row.ours) ?? fixed(row.ours.wallS, 2),
            failed(row.peer) ?? fixed(row.peer.wallS, 2),
            ratio(ours?.wallS, peer?.wallS),
            failed(row.ours, 'cpu') ?? fixed(row.ours.cpuS, 2),
            failed(row.peer, 'cpu') ?? fixed(row.peer.cpuS, 2),
            ratio(ours?.cpuS, peer?.cpuS),
            failed(row.ours, 'rss') ?? megabytes(row.ours.peakRssBytes),
            failed(row.peer, 'rss') ?? megabytes(row.peer.peakRssBytes),
            ratio(ours?.peakRssBytes, peer?.peakRssBytes),
            `${row.oursWalls.map((w) => fixed(w, 2)).join(' ')} / ${row.peerWalls.map((w) => fixed(w, 2)).join(' ')}`,
          ];
        }),
      ),
      '',
    );
  }
  if (startup) {
    out.push(`**CLI start** (median of ${options.startupRuns} runs each, alternating)`, '');
    out.push(
      markdownTable(
        ['command', 'wall ms', 'CPU ms', 'peak RSS MB'],
        startup.map((row) => [row.label, fixed(row.wallMs, 0), fixed(row.cpuMs, 0), megabytes(row.peakRssBytes)]),
      ),
      '',
    );
  }
  if (servers) {
    out.push(
      `**Generated servers** (\`node dist/index.js\`, each run in its own process; upstream: a node:http stub on 127.0.0.1; ` +
        `calls: ${options.samples} sequential \`tools/call\` over one keep-alive connection after ${options.warmup} warm-up, overhead = call minus the same request made directly to the stub; ` +
        `load: autocannon, ${options.connections} connections, ${options.loadRounds} alternated rounds of ${options.loadSeconds} s runs (proxy, minimal MCP, server; each target loaded 1 s unmeasured first), the same \`tools/call\` POST, req/s the median of the rounds; bare proxy: node:http + keep-alive agent making the same upstream call; CPU µs/call: user + system time of the process over all its runs per successful call, from /proc: the figure a shared machine disturbs least; minimal MCP: \`scripts/bench/minimal-mcp.ts\`, the same upstream call answered as a \`tools/call\` result with no validation, authorization or limits, the floor of any MCP server, measured in the \`none\` rows)`,
      '',
    );
    out.push(
      markdownTable(
        [
          'server',
          'mode',
          'cold start ms',
          'RSS start MB',
          'tools',
          'pages',
          'tools/list bytes',
          'largest page bytes',
          'tools/list ms',
        ],
        servers.map((row) => [
          row.server,
          mode(row),
          fixed(row.coldStartMs, 0),
          megabytes(row.rssAfterStart),
          fixed(row.tools, 0),
          fixed(row.pages, 0),
          fixed(row.listBytes, 0),
          fixed(row.largestPage, 0),
          fixed(row.listMs, 0),
        ]),
        2,
      ),
      '',
    );
    out.push(
      markdownTable(
        [
          'server',
          'mode',
          'call p50 ms',
          'call p99 ms',
          'overhead p50 ms',
          'overhead p99 ms',
          'req/s',
          'req/s per round',
          'bare proxy req/s',
          'proxy per round',
          'of proxy',
          'server CPU µs/call',
          'proxy CPU µs/call',
          'minimal MCP req/s',
          'minimal MCP CPU µs/call',
          'RSS after round 1 MB',
          'RSS after last round MB',
        ],
        servers
          .filter((row) => row.toolMode === 'static')
          .map((row) => [
            row.server,
            mode(row),
            fixed(row.callP50Ms, 2),
            fixed(row.callP99Ms, 2),
            fixed(difference(row.callP50Ms, row.directP50Ms), 2),
            fixed(difference(row.callP99Ms, row.directP99Ms), 2),
            fixed(row.rps, 0),
            runs(row.rpsRuns),
            fixed(row.proxyRps, 0),
            runs(row.proxyRpsRuns),
            percent(row.rps, row.proxyRps),
            fixed(row.cpuUsPerCall, 0),
            fixed(row.proxyCpuUsPerCall, 0),
            fixed(row.minimalRps, 0),
            fixed(row.minimalCpuUsPerCall, 0),
            megabytes(row.rssAfterLoad1),
            megabytes(row.rssAfterLoad2),
          ]),
        2,
      ),
      '',
    );
    out.push(
      `Direct call to the stub (the overhead's floor): ${servers
        .filter((row) => row.directP50Ms !== undefined)
        .map(
          (row) =>
            `${row.server} ${mode(row)} p50 ${fixed(row.directP50Ms, 3)} ms, p99 ${fixed(row.directP99Ms, 3)} ms`,
        )
        .join('; ')}.`,
      '',
    );
    for (const row of servers) {
      if (row.error) out.push(`- ${row.server} (${mode(row)}) failed: ${row.error.split('\n')[0]}`);
      else if (row.failures)
        out.push(
          `- ${row.server} (${mode(row)}): ${row.failures} failed or timed-out requests (autocannon's 10 s timeout) in the load runs`,
        );
      else if (row.searchBytes !== undefined) {
        out.push(
          `- ${row.server} (${mode(row)}): one lookup is a \`search_tools\` answer of ${fixed(row.searchBytes, 0)} bytes and a \`describe_tool\` answer of ${fixed(row.describeBytes, 0)} bytes`,
        );
      }
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** A failed run's cell: `exit N`, or `>` what a killed run had used when it was killed. */
function failed(run: GenerationRow['ours'], figure?: 'wall' | 'cpu' | 'rss'): string | undefined {
  if (run.timedOut) {
    if (figure === 'cpu') return `>${fixed(run.cpuS, 0)} (killed)`;
    if (figure === 'rss') return `>${megabytes(run.peakRssBytes)} (killed)`;
    return `>${options.generationTimeoutS} (killed)`;
  }
  return run.status === 0 ? undefined : `exit ${run.status}`;
}

/** `auth none`, `auth oauth`, `dynamic, auth none`. */
function mode(row: ServerRow): string {
  return row.toolMode === 'dynamic' ? `dynamic, auth ${row.auth}` : `auth ${row.auth}`;
}

function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}

/** Each round's req/s, rounded to hundreds: how far apart the runs the median is taken of were. */
function runs(values: readonly number[] | undefined): string {
  return values && values.length > 0 ? values.map((v) => (Math.round(v / 100) / 10).toFixed(1) + 'k').join(' / ') : '-';
}
