import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CACHE, CLI, REPO, SPECS, hasSpec } from '../support/generated-project.js';
import { runCli } from './in-process.js';

export { REPO, SPECS, hasSpec };
export const FIXTURES = join(REPO, 'fixtures/cli');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  /** Written to the CLI's stdin, which is then closed. */
  readonly input?: string;
  /** Merged over the test's environment; `undefined` removes a variable. NO_COLOR=1 unless overridden. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The CLI run in this test's process through `run(argv, io)`: the same arguments, working
 * directory, stdin and environment (merged over the test's, NO_COLOR=1 unless overridden) as
 * `cliProcess`, without a child's 0.6 s start-up. Use `cliProcess` only for what needs a real
 * process: exit codes as the shell sees them, a real stdin pipe, module loading, signals.
 */
export async function cli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runCli(args, {
    env: mergedEnv(options),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

/**
 * Runs the built CLI (`bin/openapi-to-mcp.js` -> `dist/`) as a child process,
 * without blocking the test's event loop: a test can serve the spec over HTTP
 * from the same process, and independent runs can overlap.
 */
export function cliProcess(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env = mergedEnv(options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

function mergedEnv(options: CliOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', ...options.env })) {
    if (value !== undefined) env[key] = value;
  }
  return env;
}

const created: string[] = [];

/** A fresh, empty folder under `.cache/cli-tests/` (gitignored); `removeTempDirs` deletes it. */
export function tempDir(label: string): string {
  const root = join(CACHE, 'cli-tests');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, `${label}-`));
  created.push(dir);
  return dir;
}

/** For `afterAll`: removes the folders this test file made (each file has its own module instance). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir` with its content, or `null` when `dir` does not exist: equal snapshots mean untouched. */
export function snapshot(dir: string): Record<string, string> | null {
  if (!existsSync(dir)) return null;
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** ESC: the start of every ANSI colour or cursor sequence. */
export const ANSI = /\u001b\[/;

/** A V8 stack frame (`    at fn (file:1:2)`) or Node's crash banner. */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$|^Node\.js v\d+|node:internal/m;
