import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { generateProject, runInProjectAsync } from './generated-project.js';
import { rssKb, stopProcess } from '../../scripts/bench/child-process.js';
import { freePort } from './free-port.js';

export { freePort };

/** Generates `spec` into .cache/e2e/`name` and compiles it; returns the project folder. */
export async function buildGeneratedServer(spec: string, name: string): Promise<string> {
  const project = generateProject(spec, name);
  const build = await runInProjectAsync(project, 'tsc', ['-p', 'tsconfig.json']);
  if (build.status !== 0) throw new Error(`tsc failed in ${project}:\n${build.stdout}${build.stderr}`);
  return project;
}

export interface LiveServer {
  /** MCP_PUBLIC_URL: where clients reach the server (a proxy's address when there is one). */
  readonly url: string;
  /** Where this process itself listens: `http://127.0.0.1:<PORT>`. */
  readonly origin: string;
  readonly pid: number;
  /** Everything the process wrote to stderr so far (logs and audit lines). */
  stderr(): string;
  /** False once the process has exited, for whatever reason. */
  alive(): boolean;
  /** Resident set size in kB from /proc/<pid>/status (Linux only). */
  rssKb(): number;
  stop(): Promise<void>;
}

/**
 * Spawns a compiled generated server (`dist/index.js`) on a free loopback port with
 * exactly `env` (plus PATH, PORT and MCP_PUBLIC_URL unless given), and waits for its
 * "listening" line.
 */
export async function startGeneratedServer(project: string, env: Record<string, string>): Promise<LiveServer> {
  const port = env.PORT ?? String(await freePort());
  const url = env.MCP_PUBLIC_URL ?? `http://127.0.0.1:${port}/mcp`;
  const child = spawn(process.execPath, [join(project, 'dist/index.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: port, MCP_PUBLIC_URL: url, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let exited = false;
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.once('exit', () => (exited = true));
  await listening(child, () => log);
  return {
    url,
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    stderr: () => log,
    alive: () => !exited && child.exitCode === null && child.signalCode === null,
    rssKb: () => rssKb(child.pid ?? -1),
    stop: () => stopProcess(child),
  };
}

function listening(child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log()}`)), 20_000);
    const check = () => {
      if (/"msg":"[^"]* listening"/.test(log())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log()}`));
    });
  });
}
