import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { fromJsonSchema } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { loadConfig } from '../../templates/runtime/server/config.js';
import { createServerFactory } from '../../templates/runtime/server/create-server.js';
import { startHttpServer } from '../../templates/runtime/server/http-server.js';
import type { RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { REPO, SPECS, hasSpec } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

const BASE_ENV = { MCP_TRANSPORT: 'http', MCP_AUTH: 'none', HOST: '127.0.0.1', PORT: '0' };

interface Running {
  readonly server: RunningHttpServer;
  readonly upstream: RecordingUpstream;
}

/** The runtime as `main` wires it over HTTP with MCP_AUTH=none, in dynamic mode from the environment. */
async function serve(app: AppDefinition, extraEnv: Record<string, string> = {}): Promise<Running> {
  const upstream = await startRecordingUpstream();
  const env = { ...BASE_ENV, MCP_TOOL_MODE: 'dynamic', UPSTREAM_BASE_URL: upstream.baseUrl, ...extraEnv };
  const config = loadConfig(app, env);
  const factory = createServerFactory({
    app,
    upstream: { baseUrl: config.upstreamBaseUrl, timeoutMs: 5000, maxResponseBytes: 1 << 20, env },
    ...(config.toolMode ? { toolMode: config.toolMode } : {}),
  });
  return { server: await startHttpServer(config, factory, () => {}), upstream };
}

async function connect(url: string): Promise<Client> {
  const client = new Client(
    { name: 'dynamic-test', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

function structured<T>(result: Awaited<ReturnType<Client['callTool']>>): T {
  expect(result.isError ?? false).toBe(false);
  return result.structuredContent as T;
}

interface Hit {
  name: string;
  summary: string;
  method: string;
  path: string;
}

describe('dynamic tool mode over HTTP (small fixture)', () => {
  let running: Running;
  let client: Client;
  beforeAll(async () => {
    running = await serve(await appFromSpec(join(REPO, 'fixtures/dynamic-tools.yaml')));
    client = await connect(running.server.url);
  });
  afterAll(async () => {
    await client?.close();
    await running?.server.close();
    await running?.upstream.close();
  });

  it('lists exactly the three meta-tools instead of the catalogue', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['call_tool', 'describe_tool', 'search_tools']);
  });

  it('finds a tool by words that occur only in its description', async () => {
    const { tools } = structured<{ tools: Hit[] }>(
      await client.callTool({ name: 'search_tools', arguments: { query: 'borrowed copy due date' } }),
    );
    expect(tools[0]).toEqual({ name: 'lendBook', summary: 'Lend a book', method: 'POST', path: '/books/{isbn}/loans' });
  });

  it('finds a tool by its path', async () => {
    const { tools } = structured<{ tools: Hit[] }>(
      await client.callTool({ name: 'search_tools', arguments: { query: '/members/{memberId}' } }),
    );
    expect(tools[0]?.name).toBe('expelMember');
  });

  it('narrows a search to a tag and honours the limit', async () => {
    const { tools, total } = structured<{ tools: Hit[]; total: number }>(
      await client.callTool({ name: 'search_tools', arguments: { query: 'book', tag: 'books', limit: 1 } }),
    );
    expect(total).toBe(2);
    expect(tools).toHaveLength(1);
    expect(['listBooks', 'addBook']).toContain(tools[0]?.name);
  });

  it('refuses a limit above 50 (the meta-tool validates its own input)', async () => {
    const result = await client.callTool({ name: 'search_tools', arguments: { query: 'book', limit: 51 } });
    expect(result.isError).toBe(true);
  });

  it('describes a tool with a self-contained input schema that validates arguments', async () => {
    const described = structured<{
      inputSchema: Record<string, unknown>;
      requiredScopes: string[][];
      annotations: object;
    }>(await client.callTool({ name: 'describe_tool', arguments: { name: 'addBook' } }));
    expect(described.requiredScopes).toEqual([['library:write']]);
    expect(described.annotations).toEqual({ destructiveHint: false, openWorldHint: true });
    // NewBook is referred to once: written in place, so the schema holds no reference at all.
    expect(JSON.stringify(described.inputSchema)).not.toContain('$ref');
    const input = fromJsonSchema<Record<string, unknown>>(described.inputSchema)['~standard'];
    expect(await input.validate({ body: { title: 'Dune', isbn: '978-0441013593' } })).not.toHaveProperty('issues');
    expect((await input.validate({ body: { title: '' } })) as object).toHaveProperty('issues');
  });

  it('describes the output schema with its $defs, so a result can be checked', async () => {
    const described = structured<{ outputSchema: Record<string, unknown> }>(
      await client.callTool({ name: 'describe_tool', arguments: { name: 'listBooks' } }),
    );
    const output = fromJsonSchema<Record<string, unknown>>(described.outputSchema)['~standard'];
    expect(await output.validate({ items: [{ title: 'Dune', isbn: '1', shelf: 'A3' }] })).not.toHaveProperty('issues');
    expect((await output.validate({ items: [{ title: 'Dune', isbn: '1' }] })) as object).toHaveProperty('issues');
  });

  it('calls the upstream through call_tool exactly as the static tool would', async () => {
    const { upstream } = running;
    upstream.requests.length = 0;
    upstream.respond(() => ({ status: 204 }));
    const result = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'lendBook', arguments: { isbn: '978-0441013593', body: { memberId: 7 } } },
    });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.requests).toHaveLength(1);
    const [request] = upstream.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/books/978-0441013593/loans');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body.toString() ?? '')).toEqual({ memberId: 7 });
  });

  it("checks the upstream response against the inner tool's output schema", async () => {
    running.upstream.respond(() => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: 'not a list' }),
    }));
    const result = await client.callTool({ name: 'call_tool', arguments: { name: 'listBooks', arguments: {} } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/does not match the declared output schema/);
  });

  it.each([
    ['a path argument that breaks its pattern', { isbn: '../admin', body: { memberId: 7 } }],
    ['a missing required body', { isbn: '978-0441013593' }],
    ['an argument the tool does not have', { isbn: '978-0441013593', body: { memberId: 7 }, extra: 1 }],
  ])('refuses %s before the upstream sees anything', async (_name, args) => {
    running.upstream.requests.length = 0;
    const result = await client.callTool({ name: 'call_tool', arguments: { name: 'lendBook', arguments: args } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Input validation error: invalid arguments for tool lendBook/);
    expect(running.upstream.requests).toHaveLength(0);
  });

  it.each([['call_tool'], ['describe_tool']])('%s answers a tool error for an unknown tool name', async (meta) => {
    running.upstream.requests.length = 0;
    const result = await client.callTool({
      name: meta,
      arguments: { name: 'dropTables', ...(meta === 'call_tool' ? { arguments: {} } : {}) },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Unknown tool \\"dropTables\\"/);
    expect(running.upstream.requests).toHaveLength(0);
  });

  it('does not serve catalogue tools directly: only the meta-tools are registered', async () => {
    const result = await client
      .callTool({ name: 'listBooks', arguments: {} })
      .catch((error: Error) => ({ isError: true, content: [{ type: 'text', text: error.message }] }));
    expect(result.isError).toBe(true);
  });
});

describe.skipIf(!hasSpec('github-rest.json'))("dynamic tool mode on GitHub's REST API (1,000+ operations)", () => {
  let running: Running;
  let client: Client;
  beforeAll(async () => {
    running = await serve(await appFromSpec(join(SPECS, 'github-rest.json')));
    client = await connect(running.server.url);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await running?.server.close();
    await running?.upstream.close();
  });

  it('lets a real client find "list repository issues" and call issues/list-for-repo (the tool issues_list-for-repo)', async () => {
    const { tools } = structured<{ tools: Hit[] }>(
      await client.callTool({ name: 'search_tools', arguments: { query: 'list repository issues', limit: 5 } }),
    );
    expect(tools[0]).toMatchObject({
      name: 'issues_list-for-repo',
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues',
    });
    const described = structured<{ inputSchema: { properties: Record<string, unknown>; required: string[] } }>(
      await client.callTool({ name: 'describe_tool', arguments: { name: 'issues_list-for-repo' } }),
    );
    expect(described.inputSchema.required).toEqual(['owner', 'repo']);
    running.upstream.requests.length = 0;
    running.upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: '[]' }));
    const result = await client.callTool({
      name: 'call_tool',
      arguments: {
        name: 'issues_list-for-repo',
        arguments: { owner: 'octo cat', repo: 'hello-world', state: 'open', labels: 'bug' },
      },
    });
    expect(result.isError ?? false).toBe(false);
    expect(running.upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/repos/octo%20cat/hello-world/issues?state=open&labels=bug',
    ]);
  }, 60_000);
});
