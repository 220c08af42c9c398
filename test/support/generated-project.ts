import { execFile, spawnSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedDependencies as installShared } from '../../scripts/shared-dependencies.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const CACHE = join(REPO, '.cache');
export const CLI = join(REPO, 'bin/openapi-to-mcp.js');
/** The real-world corpus beside the repository (`../shared/specs`), when this checkout has it. */
export const SHARED_SPECS = resolve(REPO, '../shared/specs');
/**
 * Where tests find real-world specs: the full corpus when it sits beside the repository, else the
 * small licensed subset kept in `fixtures/specs/` (see its SOURCES.md), so a plain clone runs too.
 */
export const SPECS = existsSync(SHARED_SPECS) ? SHARED_SPECS : join(REPO, 'fixtures/specs');
/** Whether a spec is available here; tests of specs outside the in-repository subset skip without the corpus. */
export function hasSpec(name: string): boolean {
  return existsSync(join(SPECS, name));
}

/** The shared install of generated projects' dependencies, under `.cache/` (scripts/shared-dependencies.ts). */
export function sharedDependencies(projectDir: string): string {
  return installShared(projectDir, CACHE);
}

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): CommandResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Generates `spec` into a fresh folder under .cache/e2e, links the shared dependencies, and returns the folder. */
export function generateProject(spec: string, name: string): string {
  const out = join(CACHE, 'e2e', name);
  rmSync(out, { recursive: true, force: true });
  const result = runCli(['generate', spec, '-o', out]);
  if (result.status !== 0) throw new Error(`generate ${spec} failed (${result.status}):\n${result.stderr}`);
  symlinkSync(sharedDependencies(out), join(out, 'node_modules'), 'dir');
  return out;
}

/** Runs a binary of the shared install (tsc, vitest) inside a generated project. */
export function runInProject(projectDir: string, bin: string, args: readonly string[]): CommandResult {
  const result = spawnSync(join(projectDir, 'node_modules', '.bin', bin), [...args], {
    cwd: projectDir,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `runCli` without blocking the test worker, so independent specs can run side by side. */
export function runCliAsync(args: readonly string[]): Promise<CommandResult> {
  return runAsync(process.execPath, [CLI, ...args], REPO);
}

export function runInProjectAsync(projectDir: string, bin: string, args: readonly string[]): Promise<CommandResult> {
  return runAsync(join(projectDir, 'node_modules', '.bin', bin), args, projectDir);
}

function runAsync(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      command,
      [...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolvePromise({ status, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}
