import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolSchemas } from '../../templates/runtime/mcp/tool-schemas.js';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { loadConfig } from '../../templates/runtime/server/config.js';
import { createServerFactory } from '../../templates/runtime/server/create-server.js';
import { startHttpServer, type RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';

/*
 * Issue 9, "Tests that keep it closed": random and hostile arguments through a live server built
 * from fixture specs (object, deepObject, header, cookie parameters; JSON, form, multipart and
 * binary bodies), shaped by each tool's input schema (so about one call in five gets past
 * validation to the upstream) or not at all. The server never fails a call with a protocol or
 * HTTP error it did not mean, keeps serving, and every upstream request stays under the base
 * path. Bounded, fixed seed.
 */

const RUNS = 150;
const SEED = 9;

const HOSTILE = [
  '',
  '..',
  '%2e%2e',
  '../admin',
  '．．',
  'a\r\nX: 1',
  '\0',
  '\uD800',
  '𝒳',
  '?x=1#y',
  '&api_key=x',
  'sid=x; sid=y',
  '/'.repeat(3),
];
const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 8 }));
const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anything = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(text, tie('value'), { maxKeys: 3 }),
  ),
})).value;

type Schema = { readonly [k: string]: unknown };

/** Values shaped by a tool's input schema (so calls get past validation), with hostile strings and extra keys. */
function fromSchema(schema: unknown, root: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema !== 'object' || schema === null || depth > 4) return leaf;
  const s = schema as Schema;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/')) {
    return fromSchema((root.$defs as Record<string, unknown>)[s.$ref.slice('#/$defs/'.length)], root, depth + 1);
  }
  if (Array.isArray(s.enum) && s.enum.length > 0)
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: text });
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = s[key];
    if (Array.isArray(list) && list.length > 0) return fc.oneof(...list.map((b) => fromSchema(b, root, depth + 1)));
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return text;
    case 'integer':
      return fc.integer({ min: 0, max: 50 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(s.items, root, depth + 1), { maxLength: 3 });
    case 'object':
    case undefined: {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const declared = fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, fromSchema(v, root, depth + 1)])),
        { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
      );
      if (Object.keys(properties).length === 0 && type === undefined) return anything;
      // Sometimes extra keys: credential names, hostile names.
      return fc
        .tuple(
          declared,
          fc.option(
            fc.dictionary(fc.oneof(fc.constantFrom('api_key', 'sid', 'admin', '__proto__'), text), leaf, {
              maxKeys: 2,
            }),
            { freq: 3 },
          ),
        )
        .map(([d, extra]) => ({ ...(extra ?? {}), ...d }));
    }
    default:
      return anything;
  }
}

interface Live {
  readonly app: AppDefinition;
  readonly server: RunningHttpServer;
  readonly upstream: RecordingUpstream;
  readonly client: Client;
}

const lives: Live[] = [];

beforeAll(async () => {
  for (const fixture of ['parameters-styles.yaml', 'request-bodies.yaml', 'petstore-3.1.yaml']) {
    const app = await appFromSpec(join(REPO, 'fixtures', fixture));
    const upstream = await startRecordingUpstream();
    upstream.respond((req) => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ echo: req.url }),
    }));
    const env = {
      MCP_TRANSPORT: 'http',
      MCP_AUTH: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      UPSTREAM_BASE_URL: upstream.baseUrl,
    };
    const config = loadConfig(app, env);
    const factory = createServerFactory({
      app,
      upstream: { baseUrl: config.upstreamBaseUrl, timeoutMs: 5000, maxResponseBytes: 1 << 20, env },
    });
    const server = await startHttpServer(config, factory, () => {});
    const client = new Client({ name: 'fuzz', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    lives.push({ app, server, upstream, client });
  }
});
afterAll(async () => {
  for (const live of lives) {
    await live.client.close();
    await live.server.close();
    await live.upstream.close();
  }
});

describe('a live server under random arguments (fast-check, fixed seed)', () => {
  it(`answers every call with a result or an invalid-params error, and stays under the base path (${RUNS} runs)`, async () => {
    const scenario = fc.nat({ max: lives.length - 1 }).chain((i) => {
      const { app } = lives[i]!;
      const schemaBased = fc.constantFrom(...app.tools).chain((t) => {
        const input = toolSchemas(t, app.defs).inputSchema;
        return fc.record({ live: fc.constant(i), tool: fc.constant(t.name), args: fromSchema(input, input) });
      });
      const random = fc.record({
        live: fc.constant(i),
        tool: fc.oneof(fc.constantFrom(...app.tools.map((t) => t.name)), text),
        args: anything,
      });
      return fc.oneof({ weight: 4, arbitrary: schemaBased }, { weight: 1, arbitrary: random });
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ live: i, tool, args }) => {
        const live = lives[i]!;
        live.upstream.requests.length = 0;
        try {
          const result = await live.client.callTool({ name: tool, arguments: args as Record<string, unknown> });
          expect(Array.isArray(result.content)).toBe(true);
        } catch (error) {
          // The SDK refuses arguments that are not an object, and unknown tools, as JSON-RPC errors: not crashes.
          expect((error as { code?: number }).code, String(error)).toBeOneOf([-32602, -32600]);
        }
        for (const request of live.upstream.requests) expect(request.url.startsWith('/api/v1/')).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Still serving.
    for (const live of lives) expect((await live.client.listTools()).tools.length).toBe(live.app.tools.length);
  });
});
