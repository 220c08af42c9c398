import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { AppDefinition } from '../mcp/types.js';
import { ConfigError, loadConfig } from './config.js';
import { createServerFactory } from './create-server.js';
import { startHttpServer } from './http-server.js';

/** Logs go to stderr: on stdio, stdout belongs to the protocol. */
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The entry of a generated server: configuration from the environment, then stdio or HTTP. */
export async function main(app: AppDefinition, env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> {
  try {
    const config = loadConfig(app, env);
    const factory = createServerFactory({
      app,
      upstream: {
        baseUrl: config.upstreamBaseUrl,
        timeoutMs: config.upstreamTimeoutMs,
        maxResponseBytes: config.upstreamMaxResponseBytes,
        env,
      },
    });
    if (config.transport === 'stdio') {
      serveStdio(factory, { onerror: (error) => log(JSON.stringify({ level: 'error', msg: error.message })) });
      return;
    }
    const running = await startHttpServer(config, factory, log);
    log(JSON.stringify({ level: 'info', msg: `${app.server.name} listening`, url: running.url, tools: app.tools.length }));
    const stop = () => void running.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (error instanceof ConfigError) {
      log(`configuration error: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
