import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { expect } from 'vitest';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real authorization-server stand-in on 127.0.0.1: routes by path, records every request, can go down and come back on the same port. */
export interface AuthServer {
  readonly origin: string;
  readonly routes: Map<string, Route>;
  readonly seen: SeenRequest[];
  hits(path: string): number;
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export const json =
  (body: unknown, status = 200): Route =>
  (_, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

export async function startAuthServer(): Promise<AuthServer> {
  const routes = new Map<string, Route>();
  const seen: SeenRequest[] = [];
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        seen.push({ method: req.method ?? '', path, headers: req.headers, body });
        const route = routes.get(path);
        if (route) route(req, res, body);
        else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  return {
    origin: `http://127.0.0.1:${port}`,
    routes,
    seen,
    hits: (path) => seen.filter((r) => r.path === path).length,
    async stop() {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    },
    start: listen,
  };
}

export interface TestKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
  readonly pem: string;
}

/** A fresh key pair with a kid unique to this run. */
export async function testKey(
  alg: 'RS256' | 'ES256' | 'PS256' | 'EdDSA' = 'RS256',
  kid: string = randomUUID(),
): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return {
    alg,
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    pem: await exportSPKI(publicKey),
  };
}

export const now = (): number => Math.floor(Date.now() / 1000);

/** Signs claims; `header` overrides the protected header (e.g. `typ`), `undefined` values drop a claim. */
export async function sign(
  key: TestKey,
  claims: JWTPayload,
  header: Record<string, unknown> = { typ: 'at+jwt' },
): Promise<string> {
  const payload = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

export const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Awaits a rejection and checks its class and message, and that the message
 * holds neither the token nor any of its segments.
 */
export async function rejects(
  promise: Promise<unknown>,
  type: new (...args: never[]) => Error,
  message: string | RegExp,
  token: string,
): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  const { message: text } = error as Error;
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
  expectNoToken(text, token);
  return error as Error;
}

export function expectNoToken(text: string, token: string): void {
  if (token.length >= 8) expect(text).not.toContain(token);
  for (const part of token.split('.')) if (part.length >= 8) expect(text).not.toContain(part);
}
