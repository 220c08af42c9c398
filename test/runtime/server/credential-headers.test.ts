import { describe, expect, it } from 'vitest';
import { credentialHeaders } from '../../../templates/runtime/server/http-gate.js';

// The gate reads the two credential headers from the raw list (not `headersDistinct`, which builds
// arrays for every header of every request): every occurrence, any case, nothing else.

describe('credentialHeaders', () => {
  it('collects every Authorization and X-API-Key line whatever its case, in order', () => {
    const rawHeaders = [
      'Host',
      'x',
      'AUTHORIZATION',
      'Bearer a',
      'x-api-key',
      'k1',
      'Accept',
      'y',
      'authorization',
      'Bearer b',
      'X-Api-Key',
      'k2',
    ];
    expect(credentialHeaders({ rawHeaders })).toEqual({
      authorization: ['Bearer a', 'Bearer b'],
      apiKey: ['k1', 'k2'],
    });
  });

  it('ignores look-alike names of the same length and a dangling name', () => {
    const rawHeaders = ['Authorizatio_', 'Bearer x', 'x-api-kez', 'k', 'authorization'];
    expect(credentialHeaders({ rawHeaders })).toEqual({ authorization: [], apiKey: [] });
  });

  it('matches what node:http lists as headersDistinct for the same request', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      res.end(
        JSON.stringify([credentialHeaders(req), req.headersDistinct.authorization, req.headersDistinct['x-api-key']]),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const headers = new Headers([
        ['authorization', 'Bearer one'],
        ['x-api-key', 'key'],
      ]);
      const answer = (await (await fetch(`http://127.0.0.1:${port}/`, { headers })).json()) as [
        { authorization: string[]; apiKey: string[] },
        string[] | undefined,
        string[] | undefined,
      ];
      expect(answer[0].authorization).toEqual(answer[1] ?? []);
      expect(answer[0].apiKey).toEqual(answer[2] ?? []);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
