import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE } from './generated-project.js';

/** Pinned: the suite's scenarios and the Node it needs (its releases from 0.1.14 need Node 22). */
export const CONFORMANCE_VERSION = '0.1.16';
export const NODE22_VERSION = '22.23.3';

export interface ConformanceSuite {
  /** The Node 22 binary installed as the `node` npm package. */
  readonly node: string;
  /** The suite's CLI entry, run with `node`. */
  readonly cli: string;
}

/**
 * Installs `node@22` and `@modelcontextprotocol/conformance` into .cache/conformance once
 * (a fresh CI machine does it in its first run; later runs reuse it), never globally.
 */
export function ensureConformanceSuite(): ConformanceSuite {
  const dir = join(CACHE, 'conformance');
  const marker = join(dir, 'installed.txt');
  const key = `node@${NODE22_VERSION} @modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`;
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== key) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'conformance-runner', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact', ...key.split(' ')], {
      cwd: dir,
      stdio: 'inherit',
    });
    writeFileSync(marker, key);
  }
  return {
    node: join(dir, 'node_modules', '.bin', 'node'),
    cli: join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'),
  };
}

/** One check of a scenario, as the suite writes it to `checks.json`. */
export interface ConformanceCheck {
  readonly scenario: string;
  readonly id: string;
  readonly status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  readonly errorMessage?: string;
}

/**
 * Runs server scenarios against `url` (the whole active suite when `scenario` is undefined)
 * and returns every check from the result folders. The suite's exit code is not used: it
 * is 0 even with failed checks, so the checks are what the test asserts.
 */
export async function runServerScenarios(
  suite: ConformanceSuite,
  url: string,
  outDir: string,
  scenario?: string,
): Promise<ConformanceCheck[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const args = [suite.cli, 'server', '--url', url, '-o', outDir, ...(scenario ? ['--scenario', scenario] : [])];
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      suite.node,
      args,
      {
        encoding: 'utf8',
        timeout: 180_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        if (error && error.killed) reject(new Error(`conformance run timed out:\n${stdout}${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
  const checks: ConformanceCheck[] = [];
  for (const folder of readdirSync(outDir)) {
    const file = join(outDir, folder, 'checks.json');
    if (!existsSync(file)) continue;
    // Folder names are `server-<scenario>-<timestamp>`.
    const name = folder.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    for (const check of JSON.parse(readFileSync(file, 'utf8')) as Omit<ConformanceCheck, 'scenario'>[]) {
      checks.push({
        scenario: name,
        id: check.id,
        status: check.status,
        ...(check.errorMessage ? { errorMessage: check.errorMessage } : {}),
      });
    }
  }
  if (checks.length === 0) throw new Error(`the conformance suite wrote no checks:\n${output}`);
  return checks;
}
