import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EmittedFile } from '../../src/emit/emit-project.js';
import { generateFromDocument } from '../../src/generate.js';
import { loadDocument } from '../../src/load/index.js';
import type { SwapFs } from '../../src/write/swap-files.js';
import { LOCK_FILE, writeProject } from '../../src/write/write-project.js';
import { removeTempDirs, snapshot, tempDir } from '../cli/cli-process.js';
import { addGetPet, removeDeletePet, writeSpec } from './regen-support.js';

afterAll(removeTempDirs);

async function filesOf(spec: string): Promise<EmittedFile[]> {
  const result = await generateFromDocument(await loadDocument(spec), { specLabel: 'openapi.yaml' });
  return [...result.files];
}

const inputs = (specHash: string) => ({ specHash, optionsHash: 'o'.repeat(64), spec: '../openapi.yaml' });

/** Real file system calls, except that the `failAt`-th rename (0-based) throws, as a full disk or a lost permission would. */
function failingRename(failAt: number): SwapFs & { calls: () => number } {
  let calls = 0;
  return {
    writeFile: (path, content) => writeFileSync(path, content),
    rename: (from, to) => {
      if (calls++ === failAt) throw new Error(`injected failure renaming ${from}`);
      renameSync(from, to);
    },
    calls: () => calls,
  };
}

/** DESIGN.md §2, §7: a write that fails half-way leaves the previous project as it was. */
describe('an interrupted write', () => {
  let v1: EmittedFile[];
  let v2: EmittedFile[];
  beforeAll(async () => {
    const dir = tempDir('atomic-specs');
    v1 = await filesOf(writeSpec(dir, 'v1.yaml'));
    v2 = await filesOf(
      writeSpec(dir, 'v2.yaml', (s) => {
        removeDeletePet(s);
        addGetPet(s);
      }),
    );
  });

  test('fails at every single rename in turn: each time the old tree is byte-identical and nothing is left beside it', () => {
    const parent = tempDir('atomic');
    const out = join(parent, 'project');
    expect(writeProject(out, v1, inputs('v1')).diagnostics).toEqual([]);
    writeFileSync(join(out, 'NOTES.md'), 'mine\n');
    const before = snapshot(out);

    // A dry pass counts the renames a full regeneration makes (moves to the backup plus moves into place).
    const probe = join(parent, 'probe');
    writeProject(probe, v1, inputs('v1'));
    const counting = failingRename(Number.POSITIVE_INFINITY);
    writeProject(probe, v2, { ...inputs('v2'), fs: counting });
    const renames = counting.calls();
    expect(renames).toBeGreaterThan(5);

    for (let failAt = 0; failAt < renames; failAt++) {
      const report = writeProject(out, v2, { ...inputs('v2'), fs: failingRename(failAt) });
      expect(
        report.diagnostics.map((d) => d.code),
        `failure at rename ${failAt}`,
      ).toEqual(['OUTPUT_WRITE_FAILED']);
      expect(report.diagnostics[0]?.message).toContain('injected failure');
      expect(snapshot(out), `failure at rename ${failAt}`).toEqual(before);
      expect(readdirSync(parent).sort()).toEqual(['probe', 'project']);
    }
    // And the same write without a failure goes through.
    expect(writeProject(out, v2, inputs('v2')).diagnostics).toEqual([]);
    expect(snapshot(out)).toEqual({ ...snapshot(probe), 'NOTES.md': 'mine\n' });
  });

  test('fails while staging: the old tree is untouched', () => {
    const parent = tempDir('atomic-stage');
    const out = join(parent, 'project');
    writeProject(out, v1, inputs('v1'));
    const before = snapshot(out);
    let writes = 0;
    const fs: SwapFs = {
      writeFile: (path, content) => {
        if (++writes === 3) throw new Error('injected: no space left on device');
        writeFileSync(path, content);
      },
      rename: renameSync,
    };
    const report = writeProject(out, v2, { ...inputs('v2'), fs });
    expect(report.diagnostics[0]).toMatchObject({
      code: 'OUTPUT_WRITE_FAILED',
      message: expect.stringContaining('no space left'),
    });
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['project']);
  });

  test('a new project that fails half-way leaves no folder behind', () => {
    const parent = tempDir('atomic-new');
    const out = join(parent, 'deep/project');
    const report = writeProject(out, v1, { ...inputs('v1'), fs: failingRename(10) });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['OUTPUT_WRITE_FAILED']);
    expect(readdirSync(parent)).toEqual([]);
    expect(snapshot(dirname(out))).toBeNull();
  });
});

/** A crash of the process itself (power, kill -9) mid-swap cannot roll back; the next run must notice. */
describe('after a run that was killed mid-write', () => {
  test('refuses to write (OUTPUT_INTERRUPTED, naming the backup) and changes nothing', async () => {
    const dir = tempDir('killed');
    const spec = writeSpec(dir, 'openapi.yaml');
    const files = await filesOf(spec);
    const out = join(dir, 'project');
    expect(writeProject(out, files, inputs('a'.repeat(64))).diagnostics).toEqual([]);
    const backup = join(out, '.openapi-to-mcp-backup-4242');
    mkdirSync(join(backup, 'src'), { recursive: true });
    writeFileSync(join(backup, 'README.md'), 'the old README\n');
    const before = snapshot(out);
    const report = writeProject(out, files, inputs('b'.repeat(64)));
    expect(report.written).toBe(0);
    expect(report.diagnostics[0]?.hint).toContain(backup);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        code: 'OUTPUT_INTERRUPTED',
        severity: 'error',
        message: expect.stringContaining(backup),
      }),
    ]);
    expect(snapshot(out)).toEqual(before);
    rmSync(backup, { recursive: true });
    expect(writeProject(out, files, inputs('b'.repeat(64))).diagnostics).toEqual([]);
  });

  test('also notices the backup an earlier version left beside the project', async () => {
    const dir = tempDir('killed-old');
    const files = await filesOf(writeSpec(dir, 'openapi.yaml'));
    const out = join(dir, 'project');
    expect(writeProject(out, files, inputs('a'.repeat(64))).diagnostics).toEqual([]);
    mkdirSync(`${out}.openapi-to-mcp-backup-77`);
    expect(writeProject(out, files, inputs('b'.repeat(64))).diagnostics.map((d) => d.code)).toEqual([
      'OUTPUT_INTERRUPTED',
    ]);
  });
});

/** Issue 11 item 8: output folders that are mount points, or that sit in a folder we may not write. */
describe('writes that stay inside the output folder', () => {
  let files: EmittedFile[];
  beforeAll(async () => {
    files = await filesOf(writeSpec(tempDir('inside-specs'), 'openapi.yaml'));
  });

  test('writes nothing beside an existing output folder, not even for a moment (its parent may not be writable)', () => {
    const parent = tempDir('inside');
    const out = join(parent, 'project');
    mkdirSync(out);
    const seen = new Set<string>();
    const watching: SwapFs = {
      writeFile: (path, content) => {
        readdirSync(parent).forEach((name) => seen.add(name));
        writeFileSync(path, content);
      },
      rename: (from, to) => {
        readdirSync(parent).forEach((name) => seen.add(name));
        renameSync(from, to);
      },
    };
    expect(writeProject(out, files, { ...inputs('c'.repeat(64)), fs: watching }).diagnostics).toEqual([]);
    expect([...seen]).toEqual(['project']);
    expect(readdirSync(out).filter((name) => name.startsWith('.openapi-to-mcp-'))).toEqual([]);
  });

  test('stages each file at its own path, one staging folder per project folder (not one per file)', () => {
    const out = join(tempDir('tree-stage'), 'project');
    const staged: string[] = [];
    const recording: SwapFs = {
      writeFile: (path, content) => {
        staged.push(path);
        writeFileSync(path, content);
      },
      rename: renameSync,
    };
    expect(writeProject(out, files, { ...inputs('e'.repeat(64)), fs: recording }).diagnostics).toEqual([]);
    const stage = dirname(staged[0]!);
    expect(dirname(stage)).toBe(out);
    expect(staged).toEqual(files.map((f) => join(stage, f.path)).concat(join(stage, LOCK_FILE)));
  });

  test('moves a folder the project does not have yet in whole: one rename for all its files', () => {
    const out = join(tempDir('whole-folder'), 'project');
    const moves: string[] = [];
    const recording: SwapFs = {
      writeFile: (path, content) => writeFileSync(path, content),
      rename: (from, to) => {
        moves.push(relative(out, to));
        renameSync(from, to);
      },
    };
    expect(writeProject(out, files, { ...inputs('f'.repeat(64)), fs: recording }).diagnostics).toEqual([]);
    const topFolders = new Set(files.filter((f) => f.path.includes('/')).map((f) => f.path.split('/')[0]));
    const rootFiles = files.filter((f) => !f.path.includes('/')).length + 1; // and the lock file
    expect(moves).toHaveLength(topFolders.size + rootFiles);
    expect(moves).toContain('src');
    expect(moves.at(-1)).toBe(LOCK_FILE);
    const direct = join(tempDir('whole-folder-direct'), 'project');
    writeProject(direct, files, inputs('f'.repeat(64)));
    expect(snapshot(out)).toEqual(snapshot(direct));

    // A regeneration whose one new file is in a new folder: that folder moves in whole, the lock is replaced.
    const added: EmittedFile = {
      path: 'src/new-folder/deep/a.ts',
      content: 'export const a = 1;\n',
      owner: 'generator',
    };
    moves.length = 0;
    expect(writeProject(out, [...files, added], { ...inputs('f'.repeat(64)), fs: recording }).diagnostics).toEqual([]);
    expect(moves.filter((path) => !path.startsWith('.openapi-to-mcp-backup-'))).toEqual(['src/new-folder', LOCK_FILE]);
    expect(readFileSync(join(out, added.path), 'utf8')).toBe(added.content);
  });

  test('a new project that fails at any of its (few) renames leaves no folder behind', () => {
    const parent = tempDir('atomic-new-each');
    const counting = failingRename(Number.POSITIVE_INFINITY);
    writeProject(join(parent, 'probe'), files, { ...inputs('g'.repeat(64)), fs: counting });
    rmSync(join(parent, 'probe'), { recursive: true });
    for (let failAt = 0; failAt < counting.calls(); failAt++) {
      const out = join(parent, 'deep/project');
      const report = writeProject(out, files, { ...inputs('g'.repeat(64)), fs: failingRename(failAt) });
      expect(
        report.diagnostics.map((d) => d.code),
        `failure at rename ${failAt}`,
      ).toEqual(['OUTPUT_WRITE_FAILED']);
      expect(readdirSync(parent), `failure at rename ${failAt}`).toEqual([]);
    }
  });

  test('falls back to copying when a rename crosses file systems (EXDEV, e.g. a bind-mounted sub-folder)', () => {
    const out = join(tempDir('exdev'), 'project');
    const crossDevice: SwapFs = {
      writeFile: (path, content) => writeFileSync(path, content),
      rename: () => {
        throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      },
    };
    expect(writeProject(out, files, { ...inputs('d'.repeat(64)), fs: crossDevice }).diagnostics).toEqual([]);
    const direct = join(tempDir('exdev-direct'), 'project');
    writeProject(direct, files, inputs('d'.repeat(64)));
    expect(snapshot(out)).toEqual(snapshot(direct));
  });
});
