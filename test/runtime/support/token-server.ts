import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'mcp client';
/** Characters that RFC 6749 §2.3.1 form-urlencoding changes, so a naive Basic header would not match. */
export const CLIENT_SECRET = 's3cr3t:+/ %é';

/** One token endpoint request as the authorization server saw it. */
export interface TokenCall {
  readonly path: string;
  /** The decoded client_secret_basic credentials, or `undefined` if the header was missing or malformed. */
  readonly client?: { readonly id: string; readonly secret: string };
  readonly contentType?: string;
  readonly form: Readonly<Record<string, string>>;
}

export interface TokenServer {
  readonly origin: string;
  readonly calls: TokenCall[];
  /** Discovery documents served. */
  discoveries: number;
  /** `expires_in` of issued tokens; `undefined` leaves it out. */
  expiresIn: number | undefined;
  /** Delay before answering a token request (to let concurrent calls pile up). */
  delayMs: number;
  /** Overrides the answer to a token request. */
  answer?: (call: TokenCall) => { status: number; body: unknown } | undefined;
  /** Overrides the `issuer` of the discovery document. */
  issuer?: string;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A real authorization server on 127.0.0.1: `POST /token` checks
 * client_secret_basic (401 `invalid_client` otherwise) and issues
 * `cc-<n>` (client credentials) or `ex-<n>` (token exchange) Bearer tokens;
 * `GET /.well-known/openid-configuration` points at `/token`.
 */
export async function startTokenServer(): Promise<TokenServer> {
  let issued = 0;
  const state: TokenServer = {
    origin: '',
    calls: [],
    discoveries: 0,
    expiresIn: 3600,
    delayMs: 0,
    reset() {
      issued = 0;
      state.calls.length = 0;
      state.discoveries = 0;
      state.expiresIn = 3600;
      state.delayMs = 0;
      delete state.answer;
      delete state.issuer;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  async function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const json = (status: number, value: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(value));
    if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
      state.discoveries++;
      return json(200, { issuer: state.issuer ?? state.origin, token_endpoint: `${state.origin}/token` });
    }
    const call: TokenCall = {
      path: req.url ?? '',
      ...(basicClient(req.headers.authorization) ? { client: basicClient(req.headers.authorization)! } : {}),
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      form: Object.fromEntries(new URLSearchParams(body)),
    };
    state.calls.push(call);
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    const override = state.answer?.(call);
    if (override) return json(override.status, override.body);
    if (call.client?.id !== CLIENT_ID || call.client.secret !== CLIENT_SECRET) {
      return json(401, { error: 'invalid_client', error_description: `client ${CLIENT_SECRET} is not known` });
    }
    const exchange = call.form.grant_type === 'urn:ietf:params:oauth:grant-type:token-exchange';
    if (!exchange && call.form.grant_type !== 'client_credentials')
      return json(400, { error: 'unsupported_grant_type' });
    issued++;
    return json(200, {
      access_token: `${exchange ? 'ex' : 'cc'}-${issued}`,
      token_type: exchange ? 'Bearer' : 'bearer',
      ...(exchange ? { issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' } : {}),
      ...(state.expiresIn === undefined ? {} : { expires_in: state.expiresIn }),
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { origin: string }).origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** RFC 6749 §2.3.1: Basic over the form-urlencoded id and secret. */
function basicClient(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
}
