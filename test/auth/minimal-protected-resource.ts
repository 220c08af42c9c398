import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface MinimalProtectedResource {
  /** The MCP endpoint, also the RFC 8707 resource identifier. */
  readonly url: string;
  readonly metadataUrl: string;
  /** Each MCP request's fate, in order: 401, 403, 404, or 'mcp' (a verified message handed to the SDK). */
  readonly outcomes: (number | 'mcp')[];
  close(): Promise<void>;
}

/**
 * A hand-written MCP resource server, just enough to drive the SDK client's OAuth flow against
 * the test authorization server without any generated code: RFC 9728 metadata, a 401 challenge
 * (RFC 6750 §3 + RFC 9728 §5.1), jose verification with `aud` = its own URL (RFC 8707), and a
 * 403 `insufficient_scope` step-up challenge per tool (RFC 6750 §3.1).
 */
export async function startMinimalProtectedResource(options: {
  issuer: string;
  jwksUri: string;
  /** Scopes each tool needs; the challenge names them all. */
  tools: Record<string, readonly string[]>;
  /** Scope named in the first 401 challenge. */
  challengeScope: string;
}): Promise<MinimalProtectedResource> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  const outcomes: (number | 'mcp')[] = [];
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: 'minimal-protected-resource', version: '0.0.0' });
    for (const name of Object.keys(options.tools)) {
      server.registerTool(name, { description: `needs ${options.tools[name]!.join(' ')}` }, async () => ({
        content: [{ type: 'text', text: `${name} ok` }],
      }));
    }
    return server;
  });
  const mcp = toNodeHandler(handler);

  const server = createServer((req, res) => {
    void serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/mcp`;
  const metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
  const allScopes = [...new Set(Object.values(options.tools).flat())];
  const answer = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    outcomes.push(status);
    res.writeHead(status, headers).end();
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path === '/.well-known/oauth-protected-resource/mcp') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          resource: url,
          authorization_servers: [options.issuer],
          scopes_supported: allScopes,
          bearer_methods_supported: ['header'],
        }),
      );
      return;
    }
    if (path !== '/mcp') return answer(res, 404);

    const challenge = (extra: string) =>
      `Bearer resource_metadata="${metadataUrl}", scope="${options.challengeScope}"${extra}`;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (!token) return answer(res, 401, { 'www-authenticate': challenge('') });
    let scopes: string[];
    let clientId: string;
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: url,
        typ: 'at+jwt',
        algorithms: ['RS256', 'ES256'],
      });
      scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      clientId = String(payload.client_id ?? '');
    } catch {
      return answer(res, 401, { 'www-authenticate': challenge(', error="invalid_token"') });
    }

    const body = req.method === 'POST' ? JSON.parse(await readBody(req)) : undefined;
    const needs = body?.method === 'tools/call' ? options.tools[String(body.params?.name)] : undefined;
    if (needs && !needs.every((scope) => scopes.includes(scope))) {
      // The scopes of this call, plus those already held, so one step-up suffices.
      const wanted = [...new Set([...scopes, ...needs])].join(' ');
      return answer(res, 403, {
        'www-authenticate': `Bearer error="insufficient_scope", scope="${wanted}", resource_metadata="${metadataUrl}"`,
      });
    }
    // Messages only: the SDK client's standalone GET stream opens when it likes, and would make
    // the order of outcomes depend on timing.
    if (req.method === 'POST') outcomes.push('mcp');
    await mcp(Object.assign(req, { auth: { token, clientId, scopes, resource: new URL(url) } }), res, body);
  }

  return {
    url,
    metadataUrl,
    outcomes,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
