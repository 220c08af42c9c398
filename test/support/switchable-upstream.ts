import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the upstream answers the next requests. */
export type UpstreamMode =
  | 'ok'
  /** Connection reset before any answer. */
  | 'down'
  /** Headers never sent: the caller must give up on its own timeout. */
  | 'slow'
  | '5xx'
  /** 302 to another origin, whose server counts any request that reaches it. */
  | 'redirect'
  /** 200 `application/json` whose body does not parse. */
  | 'invalid-json'
  /** 200 with a 10 MB JSON body. */
  | 'huge';

export interface SwitchableUpstream {
  /** Base URL with a path prefix, as a generated server's UPSTREAM_BASE_URL. */
  readonly baseUrl: string;
  mode: UpstreamMode;
  /** Requests the redirect target received: must stay 0 (redirects are not followed). */
  readonly redirectTargetHits: () => number;
  close(): Promise<void>;
}

const HUGE_BYTES = 10 * 1024 * 1024;

/** An upstream API on 127.0.0.1 that a test switches between healthy and each failure mode. */
export async function startSwitchableUpstream(okBody = '{"items":[]}'): Promise<SwitchableUpstream> {
  let targetHits = 0;
  const target = createServer((_req, res) => {
    targetHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[{"stolen":true}]}');
  });
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    switch (state.mode) {
      case 'down':
        return void req.socket.destroy();
      case 'slow':
        // Released at close; never answered before the caller's timeout.
        return void held.push(res);
      case '5xx':
        return void res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
      case 'redirect':
        return void res.writeHead(302, { location: `${targetOrigin}/api/v1/pets` }).end();
      case 'invalid-json':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[{"id":"p1",');
      case 'huge': {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < HUGE_BYTES) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        return pump();
      }
      default:
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(okBody);
    }
  });
  await Promise.all([listen(server), listen(target)]);
  const targetOrigin = `http://localhost:${(target.address() as AddressInfo).port}`;
  const state = { mode: 'ok' as UpstreamMode };
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    redirectTargetHits: () => targetHits,
    async close() {
      for (const res of held) res.destroy();
      await Promise.all([close(server), close(target)]);
    },
  });
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
