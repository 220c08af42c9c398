import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES, STACK_TRACE, cli, cliProcess, removeTempDirs, snapshot, tempDir } from './cli-process.js';

afterAll(removeTempDirs);

/** DESIGN.md §1: the spec is a path, a URL or `-` (stdin); relative `$ref`s resolve against the URL or the cwd. */

const MULTI_FILE = join(FIXTURES, 'multi-file');
const requested: string[] = [];
let baseUrl = '';
const server = createServer((req, res) => {
  requested.push(req.url ?? '');
  const name = /^\/specs\/([a-z-]+\.yaml)$/.exec(req.url ?? '')?.[1];
  if (name && existsSync(join(MULTI_FILE, name))) {
    res.writeHead(200, { 'content-type': 'application/yaml' }).end(readFileSync(join(MULTI_FILE, name)));
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Every generated TypeScript file under src/generated, concatenated. */
function generatedText(out: string): string {
  const dir = join(out, 'src/generated');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

function expectProject(result: { status: number | null; stderr: string }, out: string, tool: string): void {
  expect(result.status, result.stderr).toBe(0);
  expect(existsSync(join(out, 'package.json'))).toBe(true);
  expect(readFileSync(join(out, 'src/generated/tools.gen.ts'), 'utf8')).toContain(tool);
}

describe('generate reads the spec from', () => {
  // A real process: stdin is a pipe and the working directory is the child's own.
  test.concurrent('stdin (`-`), YAML, with a relative $ref resolved against the working directory', async () => {
    const out = join(tempDir('stdin'), 'out');
    const result = await cliProcess(['generate', '-', '-o', out], {
      cwd: MULTI_FILE,
      input: readFileSync(join(MULTI_FILE, 'api.yaml'), 'utf8'),
    });
    expectProject(result, out, 'getRemoteItem');
    // `label` exists only in item.yaml: the second file was read.
    expect(generatedText(out)).toContain('label');
  });

  test.concurrent('stdin (`-`), JSON', async () => {
    const out = join(tempDir('stdin'), 'out');
    const json = JSON.stringify(parse(readFileSync(join(FIXTURES, 'minimal.yaml'), 'utf8')), null, 2);
    expectProject(await cli(['generate', '-', '-o', out], { input: json }), out, 'listItems');
  });

  test.concurrent('an http URL, with a relative $ref resolved against the URL', async () => {
    const out = join(tempDir('url'), 'out');
    const result = await cli(['generate', `${baseUrl}/specs/api.yaml`, '-o', out]);
    expectProject(result, out, 'getRemoteItem');
    expect(generatedText(out)).toContain('label');
    expect(requested).toEqual(expect.arrayContaining(['/specs/api.yaml', '/specs/item.yaml']));
  });

  test.concurrent('an http URL that answers 404: INPUT_NOT_FOUND naming the URL, exit 1, nothing written', async () => {
    const parent = tempDir('url');
    const url = `${baseUrl}/specs/gone.yaml`;
    const result = await cli(['generate', url, '-o', join(parent, 'out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error INPUT_NOT_FOUND /m);
    expect(result.stderr).toContain(`${url} could not be fetched: HTTP 404`);
    expect(result.stderr).toMatch(/hint: /);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(snapshot(parent)).toEqual({});
  });
});
