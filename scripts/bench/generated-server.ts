import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rssKb, stopProcess } from './child-process.js';
import type { HttpAnswer, HttpClient } from './http-client.js';
import { mcpHeaders, rpcBody } from './mcp-request.js';

export interface RunningServer {
  readonly pid: number;
  /** The MCP endpoint. */
  readonly url: string;
  /** From spawn to the first `tools/list` answered with 200. */
  readonly coldStartMs: number;
  /** The current resident set of the server process (Linux /proc). */
  rssBytes(): number;
  stop(): Promise<void>;
}

/**
 * Starts a generated project's `dist/index.js` in its own process, configured
 * only through the environment (templates/runtime/server/config.ts), on a
 * port chosen here so the token audience is known before it starts. Polls
 * `tools/list` (with `probeToken` when given) until the first 200.
 */
export async function startGeneratedServer(
  projectDir: string,
  env: Record<string, string>,
  client: HttpClient,
  logFile: string,
  probeToken?: string,
): Promise<RunningServer> {
  const port = Number(env.PORT);
  const url = `http://127.0.0.1:${port}/mcp`;
  const log = openSync(logFile, 'w');
  const started = performance.now();
  const child = spawn(process.execPath, [join(projectDir, 'dist/index.js')], {
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const answeredAt = await firstList(child, url, client, probeToken, logFile).catch(async (error: unknown) => {
    await stopProcess(child);
    throw error;
  });
  return {
    pid: child.pid!,
    url,
    coldStartMs: answeredAt - started,
    rssBytes: () => rssKb(child.pid!) * 1024,
    stop: () => stopProcess(child),
  };
}

/** Resolves with the moment (performance.now) the first `tools/list` was answered. */
async function firstList(
  child: ChildProcess,
  url: string,
  client: HttpClient,
  token: string | undefined,
  logFile: string,
): Promise<number> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bench: server exited (${child.exitCode}):\n${tail(logFile)}`);
    let answer: HttpAnswer | undefined;
    try {
      answer = await client.send(url, 'POST', mcpHeaders(token), rpcBody('tools/list', {}));
    } catch {
      // not listening yet
    }
    if (answer?.status === 200) return performance.now();
    if (answer)
      throw new Error(
        `bench: first tools/list answered HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`bench: server did not answer tools/list within 60 s:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}
