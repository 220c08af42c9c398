import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedTool } from '../../templates/runtime/mcp/listed-tool.js';
import type { AppDefinition, OutputSchemaMode } from '../../templates/runtime/mcp/types.js';
import { loadConfig } from '../../templates/runtime/server/config.js';
import { createServerFactory } from '../../templates/runtime/server/create-server.js';
import { startHttpServer } from '../../templates/runtime/server/http-server.js';
import type { RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

const BASE_ENV = { MCP_TRANSPORT: 'http', MCP_AUTH: 'none', HOST: '127.0.0.1', PORT: '0' };
const page = (items: unknown[]) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ items, next: null }),
});

/** Static mode over HTTP with each `outputSchemas` mode, as a generated project configured with it would run. */
describe.each(['shallow', 'full', 'none'] as const)(
  'static tools over HTTP with outputSchemas: %s',
  (mode: OutputSchemaMode) => {
    let app: AppDefinition;
    let upstream: RecordingUpstream;
    let server: RunningHttpServer;
    let client: Client;
    beforeAll(async () => {
      const spec = await appFromSpec(join(REPO, 'fixtures/petstore-3.1.yaml'));
      app = { ...spec, server: { ...spec.server, outputSchemas: mode } };
      upstream = await startRecordingUpstream();
      const env = { ...BASE_ENV, UPSTREAM_BASE_URL: upstream.baseUrl };
      const config = loadConfig(app, env);
      server = await startHttpServer(
        config,
        createServerFactory({
          app,
          upstream: { baseUrl: config.upstreamBaseUrl, timeoutMs: 5000, maxResponseBytes: 1 << 20, env },
        }),
        () => {},
      );
      client = new Client(
        { name: 'listed-output', version: '1' },
        { versionNegotiation: { mode: { pin: '2026-07-28' } } },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    });
    afterAll(async () => {
      await client?.close();
      await server?.close();
      await upstream?.close();
    });

    it('lists every tool exactly as listedTool builds it', async () => {
      const { tools } = await client.listTools();
      const want = app.tools.map((t) => listedTool(t, app.defs, { outputSchemas: mode }));
      expect([...tools].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
        want.sort((a, b) => a.name.localeCompare(b.name)),
      );
    });

    it('sends structuredContent that the whole schema accepts (the client checks it against what it was sent)', async () => {
      upstream.respond(() => page([{ id: 1, name: 'Rex', parent: { id: 2, name: 'Max' } }]));
      const result = await client.callTool({ name: 'listOwnerPets', arguments: { ownerId: 'a' } });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toEqual({
        items: [{ id: 1, name: 'Rex', parent: { id: 2, name: 'Max' } }],
        next: null,
      });
    });

    it('still reports an upstream response that breaks the whole schema deep down, where the listed one cannot see', async () => {
      // A pet without its required `id`, two levels down: the shallow schema (type and top-level required) would accept it.
      upstream.respond(() => page([{ id: 1, name: 'Rex', parent: { name: 'Max' } }]));
      const result = await client.callTool({ name: 'listOwnerPets', arguments: { ownerId: 'a' } });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(JSON.stringify(result.content)).toMatch(/does not match the declared output schema/);
      expect(JSON.stringify(result.content)).toContain('Max');
    });
  },
);
