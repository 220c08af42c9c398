import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRegistry } from '../../scripts/local-registry.js';
import { startLocalRegistry } from '../../scripts/local-registry.js';
import { REPO } from '../support/generated-project.js';
import { removeTempDirs, tempDir } from './cli-process.js';

/** scripts/local-registry.js: the packument and tarball npm needs for the one package it serves, nothing else. */
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const bytes = Buffer.from('not really a tarball, but bytes whose hashes the packument must carry');
let registry: LocalRegistry;

beforeAll(async () => {
  const tarball = join(tempDir('registry'), 'cli.tgz');
  writeFileSync(tarball, bytes);
  registry = await startLocalRegistry({ tarball });
});
afterAll(async () => {
  await registry?.close();
  removeTempDirs();
});

describe('the loopback registry for the @openapi-to-mcp scope', () => {
  it('listens on 127.0.0.1 and is named to npm for the scope only', () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(registry.env).toEqual({ 'npm_config_@openapi-to-mcp:registry': registry.url });
  });

  it('serves the packument of this checkout, as npm asks for a scoped name (slash encoded)', async () => {
    const res = await fetch(`${registry.url}@openapi-to-mcp%2fcli`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      name: string;
      'dist-tags': Record<string, string>;
      versions: Record<string, { bin: unknown; dependencies: unknown; dist: Record<string, string> }>;
    };
    expect(doc.name).toBe(pkg.name);
    expect(doc['dist-tags']).toEqual({ latest: pkg.version });
    const manifest = doc.versions[pkg.version]!;
    expect(manifest.bin).toEqual(pkg.bin);
    expect(manifest.dependencies).toEqual(pkg.dependencies);
    expect(manifest.dist).toEqual({
      tarball: `${registry.url}@openapi-to-mcp/cli/-/cli-${pkg.version}.tgz`,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    });
    const tarball = await fetch(manifest.dist['tarball']!);
    expect(Buffer.from(await tarball.arrayBuffer())).toEqual(bytes);
  });

  it('knows no other package and takes no publish', async () => {
    expect((await fetch(`${registry.url}@openapi-to-mcp%2fother`)).status).toBe(404);
    expect((await fetch(`${registry.url}left-pad`)).status).toBe(404);
    expect((await fetch(`${registry.url}@openapi-to-mcp%2fcli`, { method: 'PUT', body: '{}' })).status).toBe(405);
  });
});
