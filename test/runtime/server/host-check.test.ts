import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostHeaderValidation } from '@modelcontextprotocol/node';
import { describe, expect, it } from 'vitest';
import { createHostCheck, hostProblem } from '../../../templates/runtime/server/host-check.js';

// createHostCheck remembers accepted Host values; these tests hold it to the SDK guard it replaced.

interface Answer {
  status?: number;
  headers?: unknown;
  body?: string;
}

function exchange(host: string | undefined): { req: IncomingMessage; res: ServerResponse; answer: Answer } {
  const answer: Answer = {};
  const res = {
    writeHead(status: number, headers: unknown) {
      answer.status = status;
      answer.headers = headers;
      return res;
    },
    end(body?: string) {
      answer.body = body;
      return res;
    },
  } as unknown as ServerResponse;
  const req = { headers: host === undefined ? {} : { host } } as unknown as IncomingMessage;
  return { req, res, answer };
}

const ALLOWED = ['localhost', '127.0.0.1', '[::1]'];
const HOSTS = [
  '127.0.0.1:3000',
  'localhost',
  'LOCALHOST:8080',
  '[::1]:3000',
  'evil.example',
  'evil.example:3000',
  '127.0.0.1.evil.example',
  'localhost@evil.example',
  '',
  undefined,
  'a b',
  '[::1',
];

describe('createHostCheck', () => {
  it.each(HOSTS.map((h) => [h]))('answers %j exactly as the SDK guard, first and second time', (host) => {
    const check = createHostCheck(ALLOWED);
    const sdk = hostHeaderValidation([...ALLOWED]);
    const expected = exchange(host);
    const passed = sdk(expected.req, expected.res);
    for (let round = 0; round < 2; round++) {
      const got = exchange(host);
      expect(check(got.req, got.res)).toBe(passed);
      expect(got.answer).toEqual(expected.answer);
    }
  });

  it('an accepted Host does not let in another one', () => {
    const check = createHostCheck(['localhost']);
    expect(check(exchange('localhost:3000').req, exchange('localhost:3000').res)).toBe(true);
    const foreign = exchange('evil.example:3000');
    expect(check(foreign.req, foreign.res)).toBe(false);
    expect(foreign.answer.status).toBe(403);
  });

  it('past its bound it remembers no more, and still decides by the rule', () => {
    const check = createHostCheck(['localhost']);
    for (let port = 1; port <= 200; port++) {
      const ok = exchange(`localhost:${port}`);
      expect(check(ok.req, ok.res)).toBe(true);
      const bad = exchange(`evil.example:${port}`);
      expect(check(bad.req, bad.res)).toBe(false);
    }
  });
});

describe('hostProblem remembers well-formed values only', () => {
  const request = (...hosts: string[]) =>
    ({
      headers: hosts.length > 0 ? { host: hosts[0] } : {},
      rawHeaders: hosts.flatMap((h) => ['hOsT', h]),
    }) as unknown as IncomingMessage;

  it('a remembered value is still refused when it comes twice', () => {
    expect(hostProblem(request('127.0.0.1:4000'))).toBeUndefined();
    expect(hostProblem(request('127.0.0.1:4000'))).toBeUndefined();
    expect(hostProblem(request('127.0.0.1:4000', '127.0.0.1:4000'))).toBe('more than one Host header');
  });

  it('a malformed value stays malformed on every request', () => {
    for (let i = 0; i < 3; i++) expect(hostProblem(request('127.0.0.1:3000/mcp'))).toBe('malformed Host header');
  });

  it('counts Host headers whatever their case, past 4-character names of other headers', () => {
    const req = {
      headers: { host: 'localhost' },
      rawHeaders: ['Date', 'x', 'HOST', 'localhost', 'Hos', 'y', 'host', 'localhost'],
    } as unknown as IncomingMessage;
    expect(hostProblem(req)).toBe('more than one Host header');
  });
});
