import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stopProcess } from './child-process.js';
import { BENCH_JS } from './paths.js';

export interface HelperProcess {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts one of the compiled helper scripts (upstream-stub, bare-proxy) and waits for the port it prints. */
export async function startHelper(script: string, env: Record<string, string>): Promise<HelperProcess> {
  const child = spawn(process.execPath, [join(BENCH_JS, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench: ${script} exited (${code}) before listening`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  lines.close();
  child.stdout.resume();
  return { pid: child.pid!, port, stop: () => stopProcess(child) };
}
