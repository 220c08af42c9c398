import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpBinding, SecuritySchemeDefinition, ToolDefinition } from '../../../templates/runtime/mcp/types.js';
import type { UpstreamOptions } from '../../../templates/runtime/http/call-upstream.js';

/** One request as the upstream saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes as latin1, so that binary parts compare byte for byte. */
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordingServer {
  readonly origin: string;
  readonly received: Recorded[];
  respond: Handler;
  /** Forgets recorded requests and answers `{"ok":true}` again. */
  reset(): void;
  close(): Promise<void>;
}

export const replyJson =
  (body: unknown, status = 200): Handler =>
  (_, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

export const reply =
  (
    status: number,
    contentType: string | undefined,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): Handler =>
  (_, res) => {
    res
      .writeHead(status, { ...(contentType === undefined ? {} : { 'content-type': contentType }), ...headers })
      .end(body);
  };

/** A real `node:http` server on 127.0.0.1 that records every request it receives. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const received: Recorded[] = [];
  const state = { respond: replyJson({ ok: true }) };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('latin1');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      state.respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    get respond() {
      return state.respond;
    },
    set respond(handler: Handler) {
      state.respond = handler;
    },
    reset() {
      received.length = 0;
      state.respond = replyJson({ ok: true });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export const schemes: Record<string, SecuritySchemeDefinition> = {
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'KEY' },
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key', env: 'QKEY' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid', env: 'SID' },
  bearer: { type: 'http', scheme: 'bearer', env: 'TOKEN' },
};

export function tool(http: Partial<HttpBinding>, extra: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    name: 'op',
    description: 'test',
    inputSchema: { type: 'object' },
    annotations: {},
    http: { method: 'GET', path: '/pets', parameters: [], ...http },
    security: [],
    access: { scopes: [[]] },
    tags: [],
    source: '#/paths/~1pets/get',
    ...extra,
  };
}

/** Options for a base URL with a path prefix on the recording server. */
export function upstreamOptions(origin: string, extra: Partial<UpstreamOptions> = {}): UpstreamOptions {
  return { baseUrl: `${origin}/api/v1/`, schemes, env: {}, userAgent: 'pets-mcp/1.0', ...extra };
}
