import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../../templates/runtime/auth/auth-error.js';
import type { Principal, TokenVerifier } from '../../../templates/runtime/auth/principal.js';
import { createAuditLog } from '../../../templates/runtime/rbac/audit.js';
import { CALLER_KEY, gateRequestInto, type HttpAuth } from '../../../templates/runtime/server/http-gate.js';
import type { AuthInfo } from '@modelcontextprotocol/server';

const principal: Principal = Object.freeze({ subject: 'alice', scopes: Object.freeze([]), claims: {}, via: 'jwt' });

interface Outcome {
  readonly kind: 'pass' | 'answered' | 'fail';
  readonly detail?: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real HTTP server whose every request goes through the gate; `pass` answers 200 itself, `fail` 500. */
async function gated(verifier: TokenVerifier) {
  const outcomes: Outcome[] = [];
  const infos: AuthInfo[] = [];
  const audit: string[] = [];
  const auth: HttpAuth = {
    mode: 'oauth',
    verifier,
    tools: [],
    authorization: { scopesSupported: [], scopeImplies: {}, toolsList: 'filter' },
    audit: createAuditLog((line) => audit.push(line)),
    maxTokenBytes: 4096,
    log: () => undefined,
  };
  server = createServer((req, res) =>
    gateRequestInto(
      req,
      res,
      auth,
      65_536,
      (_body, authInfo) => {
        outcomes.push({ kind: 'pass', detail: authInfo.clientId });
        infos.push(authInfo);
        res.writeHead(200).end('passed');
      },
      () => outcomes.push({ kind: 'answered' }),
      (error) => {
        outcomes.push({ kind: 'fail', detail: error instanceof Error ? error.message : String(error) });
        res.writeHead(500).end();
      },
    ),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const post = (token: string) =>
    new Promise<number>((resolve, reject) => {
      const call = request(
        { port, host: '127.0.0.1', method: 'POST', path: '/mcp', headers: { authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      call.on('error', reject);
      call.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    });
  return { outcomes, infos, audit, post };
}

describe('gateRequestInto', () => {
  it('passes a recalled token without verifying it again, and a new one through verify', async () => {
    const verified: string[] = [];
    const known = new Set(['old']);
    const { outcomes, post } = await gated({
      verify: async (token) => (verified.push(token), known.add(token), principal),
      recall: (token) => (known.has(token) ? principal : undefined),
    });
    expect(await post('old')).toBe(200);
    expect(await post('new')).toBe(200);
    expect(await post('new')).toBe(200);
    expect(verified).toEqual(['new']);
    expect(outcomes.map((o) => o.kind)).toEqual(['pass', 'pass', 'pass']);
  });

  it('answers a refused token itself (401, one audit line) and reports it as answered', async () => {
    const { outcomes, audit, post } = await gated({
      verify: async () => Promise.reject(new InvalidTokenError('token expired')),
      recall: () => undefined,
    });
    expect(await post('stale')).toBe(401);
    expect(outcomes).toEqual([{ kind: 'answered' }]);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ outcome: 'deny', reason: 'invalid token: token expired' });
    expect(audit[0]).not.toContain('stale');
  });

  it('hands an unexpected error of the synchronous path to fail, never to the request listener', async () => {
    const { outcomes, post } = await gated({
      verify: async () => principal,
      recall: () => {
        throw new Error('cache broken');
      },
    });
    expect(await post('any')).toBe(500);
    expect(outcomes).toEqual([{ kind: 'fail', detail: 'cache broken' }]);
  });

  it('hands every request of one token the same caller, each with its own token, and another token its own caller', async () => {
    const alice: Principal = Object.freeze({
      subject: 'alice',
      clientId: 'agent',
      scopes: Object.freeze(['b', 'a']),
      claims: {},
      expiresAt: 2_000_000_000,
      via: 'jwt',
    });
    const bob: Principal = Object.freeze({ subject: 'bob', scopes: Object.freeze([]), claims: {}, via: 'jwt' });
    const { infos, post } = await gated({
      verify: async () => Promise.reject(new InvalidTokenError('unknown')),
      recall: (token) => (token === 'token-a' ? alice : token === 'token-b' ? bob : undefined),
    });
    expect(await post('token-a')).toBe(200);
    expect(await post('token-a')).toBe(200);
    expect(await post('token-b')).toBe(200);
    const [first, second, third] = infos;
    expect(first).toMatchObject({ token: 'token-a', clientId: 'agent', scopes: ['b', 'a'], expiresAt: 2_000_000_000 });
    expect(second).not.toBe(first);
    expect(second!.extra?.[CALLER_KEY]).toBe(first!.extra?.[CALLER_KEY]);
    expect((first!.extra?.[CALLER_KEY] as { principal: Principal }).principal).toBe(alice);
    expect(third).toMatchObject({ token: 'token-b', clientId: '', scopes: [] });
    expect(third!.extra?.[CALLER_KEY]).not.toBe(first!.extra?.[CALLER_KEY]);
    expect((third!.extra?.[CALLER_KEY] as { principal: Principal }).principal).toBe(bob);
    expect('expiresAt' in third!).toBe(false);
  });

  it('refuses a token with characters a bearer token cannot have before verifying it', async () => {
    const verified: string[] = [];
    const { outcomes, audit, post } = await gated({
      verify: async (token) => (verified.push(token), principal),
      recall: () => undefined,
    });
    expect(await post('bad%token')).toBe(401);
    expect(verified).toEqual([]);
    expect(outcomes).toEqual([{ kind: 'answered' }]);
    expect(JSON.parse(audit[0]!)).toMatchObject({
      reason: 'invalid token: token has characters a bearer token cannot have',
    });
  });

  it('gives each peer address its own caller, also when one token alternates between two addresses', async () => {
    const alice: Principal = Object.freeze({ subject: 'alice', scopes: Object.freeze([]), claims: {}, via: 'jwt' });
    const auth: HttpAuth = {
      mode: 'oauth',
      verifier: { verify: async () => alice, recall: () => alice },
      tools: [],
      authorization: { scopesSupported: [], scopeImplies: {}, toolsList: 'filter' },
      audit: createAuditLog(() => undefined),
      maxTokenBytes: 4096,
      log: () => undefined,
    };
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    /** A request as the gate reads it, from `remoteAddress`, its body delivered once it is listened for. */
    const from = (remoteAddress: string) =>
      new Promise<AuthInfo>((resolve, reject) => {
        const req = Object.assign(new EventEmitter(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
          rawHeaders: ['Authorization', 'Bearer token-a', 'Content-Length', String(body.length)],
          socket: { remoteAddress },
          resume() {},
        });
        const on = req.on.bind(req);
        req.on = (event: string, listener: (...args: unknown[]) => void) => {
          on(event, listener);
          if (event === 'end')
            setImmediate(() => {
              req.emit('data', body);
              req.emit('end');
            });
          return req;
        };
        const res = { writeHead: () => res, end: () => res, setHeader: () => undefined, headersSent: false };
        gateRequestInto(
          req as unknown as IncomingMessage,
          res as unknown as ServerResponse,
          auth,
          65_536,
          (_body, authInfo) => resolve(authInfo),
          () => reject(new Error('answered')),
          reject,
        );
      });
    const callerOfInfo = (info: AuthInfo) => info.extra?.[CALLER_KEY] as { remoteAddress?: string };
    const seen = [];
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.1'])
      seen.push(callerOfInfo(await from(address)));
    expect(seen.map((caller) => caller.remoteAddress)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.1']);
    expect(seen[3]).toBe(seen[2]);
  });
});
