import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli, removeTempDirs, snapshot, tempDir } from '../cli/cli-process.js';
import { PETSTORE } from './regen-support.js';

afterAll(removeTempDirs);

let baseUrl = '';
const server = createServer((req, res) => {
  const ok = (req.url ?? '').startsWith('/openapi.yaml?access_token=s3cret');
  res.writeHead(ok ? 200 : 404, { 'content-type': 'application/yaml' }).end(ok ? readFileSync(PETSTORE) : 'not found');
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The lock file, README and CI workflow are committed: a token in the spec URL's query must not reach them. */
test('a spec URL with a token in its query: the project names the URL without it, and --check fetches it', async () => {
  const out = join(tempDir('spec-url'), 'project');
  const result = await cli(['generate', `${baseUrl}/openapi.yaml?access_token=s3cret`, '-o', out]);
  expect(result.status, result.stderr).toBe(0);
  const files = snapshot(out) ?? {};
  expect(
    Object.entries(files)
      .filter(([, text]) => text.includes('s3cret'))
      .map(([path]) => path),
  ).toEqual([]);
  expect(JSON.parse(files['openapi-to-mcp.lock.json'] ?? '{}')).toMatchObject({ spec: `${baseUrl}/openapi.yaml` });
  expect(files['.github/workflows/openapi-to-mcp.yml']).toContain(`generate ${baseUrl}/openapi.yaml -o . --check`);
  expect(files['README.md']).toContain('downloads the spec from its URL');
  // The same URL (token and all) is current.
  const check = await cli(['generate', `${baseUrl}/openapi.yaml?access_token=s3cret`, '-o', out, '--check']);
  expect(check.status, check.stdout).toBe(0);
});
