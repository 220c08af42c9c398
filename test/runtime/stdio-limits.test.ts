import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE, REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';

// stdio message size (issue 9, item 7): a generated-style server process, i.e. the runtime
// compiled as a generated project compiles it, started by `main` with the tool tables.

let dir: string;

beforeAll(async () => {
  mkdirSync(CACHE, { recursive: true });
  // Inside the repository, so the runtime's packages resolve from its node_modules.
  dir = mkdtempSync(join(CACHE, 'stdio-limits-'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(REPO, 'tsconfig.json'),
      compilerOptions: { noEmit: false, rootDir: join(REPO, 'templates/runtime'), outDir: join(dir, 'runtime') },
      include: [join(REPO, 'templates/runtime')],
    }),
  );
  const tsc = spawnSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  writeFileSync(join(dir, 'app.json'), JSON.stringify(await appFromSpec(join(REPO, 'fixtures/petstore-3.1.yaml'))));
  writeFileSync(
    join(dir, 'index.mjs'),
    [
      "import { readFileSync } from 'node:fs';",
      "import { main } from './runtime/server/main.js';",
      "await main(JSON.parse(readFileSync(new URL('./app.json', import.meta.url), 'utf8')));",
    ].join('\n'),
  );
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the server, writes `input` to its stdin, then closes stdin (a client hanging up) unless `keepOpen`. */
function run(input: string, env: Record<string, string> = {}, keepOpen = false): Promise<Exit> {
  const child = spawn(process.execPath, [join(dir, 'index.mjs')], {
    env: { PATH: process.env.PATH ?? '', MCP_TRANSPORT: 'stdio', UPSTREAM_BASE_URL: 'http://127.0.0.1:9/api', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The server may close its end first (that is the point of one case).
  child.stdin.on('error', () => {});
  child.stdin.write(input);
  if (!keepOpen) child.stdin.end();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** An `initialize` request padded to about `bytes` bytes, one line. */
function initialize(bytes: number): string {
  const message = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'stdio-test', version: '1' },
      _pad: '',
    },
  };
  message.params._pad = 'x'.repeat(Math.max(0, bytes - JSON.stringify(message).length));
  return `${JSON.stringify(message)}\n`;
}

const ELEVEN_MB = 11 * 1024 * 1024;

describe('stdio message size', () => {
  it('a message over the limit (10 MiB by default) exits with code 1 and says why on stderr', async () => {
    // stdin stays open: the server must end this itself, not because the client hung up.
    const exit = await run(initialize(ELEVEN_MB), {}, true);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(
      'stdio: a message larger than 10485760 bytes arrived; closing the connection and exiting. Raise MCP_MAX_REQUEST_BYTES',
    );
    expect(exit.stdout).toBe('');
  });

  it('MCP_MAX_REQUEST_BYTES raises it: the same message is answered', async () => {
    const exit = await run(initialize(ELEVEN_MB), { MCP_MAX_REQUEST_BYTES: String(16 * 1024 * 1024) });
    expect(exit.code).toBe(0);
    expect(JSON.parse(exit.stdout.split('\n')[0]!)).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { serverInfo: { name: 'pet-clinic' } },
    });
  });

  it('a client hanging up after a normal exchange still exits 0 (control)', async () => {
    // With its upstream key set, the start-up checks have nothing to say either.
    const exit = await run(initialize(200), { UPSTREAM_CLINIC_KEY: 'clinic-key' });
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    expect(JSON.parse(exit.stdout.split('\n')[0]!)).toMatchObject({ id: 1, result: { protocolVersion: '2025-11-25' } });
  });
});
