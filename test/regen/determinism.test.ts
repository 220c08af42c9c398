import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, removeTempDirs, tempDir } from '../cli/cli-process.js';
import { addGetPet, changedPaths, reversePaths, treeHashes, writeSpec } from './regen-support.js';

afterAll(removeTempDirs);

const LOCK = 'openapi-to-mcp.lock.json';

/** DESIGN.md §7: same input and options, same bytes: no timestamps, no dependence on cwd, time zone or locale. */
describe('regeneration is deterministic', () => {
  let root: string;
  let first: Record<string, string>;
  beforeAll(async () => {
    root = tempDir('determinism');
    writeSpec(root, 'openapi.yaml');
    const result = await cli(['generate', join(root, 'openapi.yaml'), '-o', join(root, 'a')]);
    expect(result.status, result.stderr).toBe(0);
    first = treeHashes(join(root, 'a'));
  });

  test('twice, and again from another folder with TZ=Asia/Tokyo LANG=tr_TR.UTF-8: identical trees', async () => {
    const again = await cli(['generate', join(root, 'openapi.yaml'), '-o', join(root, 'b')]);
    expect(again.status, again.stderr).toBe(0);
    // Relative paths from the spec's own folder, so only the working directory and locale differ.
    const elsewhere = await cli(['generate', 'openapi.yaml', '-o', 'c'], {
      cwd: root,
      env: { TZ: 'Asia/Tokyo', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    });
    expect(elsewhere.status, elsewhere.stderr).toBe(0);
    expect(Object.keys(first).length).toBeGreaterThan(30);
    expect(treeHashes(join(root, 'b'))).toEqual(first);
    expect(treeHashes(join(root, 'c'))).toEqual(first);
  });

  test('regenerating in place changes no byte', async () => {
    const result = await cli(['generate', join(root, 'openapi.yaml'), '-o', join(root, 'a')]);
    expect(result.status, result.stderr).toBe(0);
    expect(treeHashes(join(root, 'a'))).toEqual(first);
  });

  test('paths and methods in another order: the same tools and files; only the spec hash differs', async () => {
    const dir = tempDir('reordered');
    writeSpec(dir, 'openapi.yaml', reversePaths);
    const result = await cli(['generate', join(dir, 'openapi.yaml'), '-o', join(dir, 'a')]);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(join(dir, 'a/src/generated/tools')).sort()).toEqual([
      'createPet.gen.ts',
      'deletePet.gen.ts',
      'listOwnerPets.gen.ts',
    ]);
    expect(changedPaths(first, treeHashes(join(dir, 'a')))).toEqual([LOCK]);
    const lock = (d: string) => JSON.parse(readFileSync(join(d, LOCK), 'utf8')) as { specHash: string; files: unknown };
    expect(lock(join(dir, 'a')).files).toEqual(lock(join(root, 'a')).files);
    expect(lock(join(dir, 'a')).specHash).not.toBe(lock(join(root, 'a')).specHash);
  });

  test('one more operation changes only its tool file, the tables that list tools, the docs and tests that list them, and the lock', async () => {
    const dir = tempDir('added');
    writeSpec(dir, 'openapi.yaml');
    const out = join(dir, 'a');
    expect((await cli(['generate', join(dir, 'openapi.yaml'), '-o', out])).status).toBe(0);
    const before = treeHashes(out);
    writeSpec(dir, 'openapi.yaml', addGetPet);
    const result = await cli(['generate', join(dir, 'openapi.yaml'), '-o', out]);
    expect(result.status, result.stderr).toBe(0);
    const changed = changedPaths(before, treeHashes(out));
    expect(changed).toEqual(
      expect.arrayContaining([LOCK, 'src/generated/tools.gen.ts', 'src/generated/tools/getPet.gen.ts']),
    );
    const allowed = [
      LOCK,
      'README.md', // its table of tools
      'test/cases.gen.ts', // one call per tool; test/server.test.ts, which runs them, stays the same
      'src/generated/tools.gen.ts',
      'src/generated/tools/getPet.gen.ts',
      'src/generated/schemas.gen.ts',
      'src/generated/security.gen.ts',
    ];
    expect(changed.filter((p) => !allowed.includes(p))).toEqual([]);
  });
});
