import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition, ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { listedTool } from '../../templates/runtime/mcp/listed-tool.js';
import { createServerFactory } from '../../templates/runtime/server/create-server.js';
import type { RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { startHttp } from '../../templates/runtime/server/main.js';
import { prepareTools } from '../../templates/runtime/server/tool-registry.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

// tools/list through the cursor (MCP 2025-11-25 "Pagination") with real clients of both SDK lines,
// against a server of 250 tools listed 40 to a page.

const TOOLS = 250;
const PAGE = 40;

let petstore: AppDefinition;
let app: AppDefinition;
let upstream: RecordingUpstream;
let server: RunningHttpServer;

/** `TOOLS` copies of the petstore's first tool, each with its own name. */
function manyTools(base: AppDefinition): AppDefinition {
  const template = base.tools[0] as ToolDefinition;
  const tools = Array.from({ length: TOOLS }, (_, i): ToolDefinition => ({
    ...template,
    name: `tool_${String(i).padStart(3, '0')}`,
  }));
  return { ...base, tools };
}

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

/** The JSON-RPC message of a response, JSON or a one-event SSE stream. */
async function message(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  const data = text.startsWith('{') ? text : (text.split('\n').find((l) => l.startsWith('data: ')) ?? '').slice(6);
  return JSON.parse(data) as Record<string, unknown>;
}

beforeAll(async () => {
  petstore = await appFromSpec(join(REPO, 'fixtures/petstore-3.1.yaml'));
  app = manyTools(petstore);
  upstream = await startRecordingUpstream();
  server = await startHttp(
    app,
    {
      MCP_AUTH: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      UPSTREAM_BASE_URL: upstream.baseUrl,
      MCP_TOOLS_PAGE_SIZE: String(PAGE),
      MCP_MAX_BATCH: '5',
    },
    { log: () => {} },
  );
});
afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

describe('tools/list pagination', () => {
  it.each([
    [
      'SDK v2 pinned to 2026-07-28',
      () => new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
      (url: URL) => new TransportV2(url),
    ],
    [
      'SDK v2 with its 2025 handshake',
      () => new ClientV2({ name: 'v2', version: '1' }),
      (url: URL) => new TransportV2(url),
    ],
  ])('%s lists every tool (it follows the cursor itself)', async (_name, client, transport) => {
    const c = client();
    await c.connect(transport(new URL(server.url)));
    const { tools, nextCursor } = await c.listTools();
    await c.close();
    expect(tools.map((t) => t.name)).toEqual(app.tools.map((t) => t.name));
    expect(nextCursor).toBeUndefined();
  });

  it('serves MCP_TOOLS_PAGE_SIZE tools a page, each page naming the next', async () => {
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const answer = await message(
        await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', ...(cursor ? { params: { cursor } } : {}) }),
      );
      const result = answer.result as { tools: unknown[]; nextCursor?: string };
      sizes.push(result.tools.length);
      cursor = result.nextCursor;
    } while (cursor !== undefined);
    expect(sizes).toEqual([40, 40, 40, 40, 40, 40, 10]);
  });

  it('SDK v1 lists every tool through the cursor', async () => {
    const c = new ClientV1({ name: 'v1', version: '1' });
    await c.connect(new TransportV1(new URL(server.url)));
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.listTools(cursor === undefined ? undefined : { cursor });
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    await c.close();
    expect(names).toEqual(app.tools.map((t) => t.name));
  });

  it.each([['garbage'], ['dG9vbHM6Nw'], ['dG9vbHM6OTk5OQ'], ['']])(
    'answers the invalid cursor %j with -32602',
    async (cursor) => {
      // dG9vbHM6Nw is "tools:7", an offset where no page starts; dG9vbHM6OTk5OQ is "tools:9999".
      const answer = await message(await post({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: { cursor } }));
      expect(answer).toMatchObject({ id: 3, error: { code: -32602 } });
    },
  );

  it('refuses a batch larger than MCP_MAX_BATCH whole, before any call runs', async () => {
    upstream.requests.length = 0;
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'tool_000', arguments: {} },
    });
    const response = await post(Array.from({ length: 6 }, (_, i) => call(i)));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('the listed shape', () => {
  it('is, by default, exactly what listedTool builds for each tool, page after page', async () => {
    const prepared = prepareTools(petstore);
    const factory = createServerFactory({
      app: petstore,
      upstream: { baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000, maxResponseBytes: 1024, env: {} },
    });
    const server = (await factory({ era: 'legacy' })) as unknown as {
      _requestHandlers: Map<string, (r: unknown, c: unknown) => Promise<{ tools: unknown[] }>>;
    };
    const listed = await server._requestHandlers.get('tools/list')!({ method: 'tools/list', params: {} }, {});
    const want = prepared.map((t) => listedTool(t.definition, petstore.defs, { outputSchemas: 'shallow' }));
    expect(JSON.stringify(listed.tools)).toBe(JSON.stringify(want));
  });
});
