import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that is free now, for a server that must know its URL before it listens
 * (a spawned server whose MCP_PUBLIC_URL names its port). Chosen at random below Linux's
 * ephemeral range (32768-60999), so no `listen(0)` of another server, in this test or a parallel
 * one, can be handed it between this check and the server's own listen.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
