import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, diffProject, writeProject } from '../../src/write/write-project.js';
import { CACHE } from '../support/generated-project.js';

const root = join(CACHE, 'write-tests');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = (path: string, content: string) => ({ path, owner: 'generator' as const, content });

describe('writeProject', () => {
  it('refuses to replace a project generated from another spec without --force, saying what it would replace', () => {
    const out = join(root, 'other-spec');
    rmSync(out, { recursive: true, force: true });
    const tool = (name: string) => file(`src/generated/tools/${name}.gen.ts`, name);
    expect(
      writeProject(out, [tool('a'), tool('b')], { specHash: 'h1', optionsHash: 'o', spec: '../pets.yaml' }).diagnostics,
    ).toEqual([]);
    const refused = writeProject(out, [tool('c')], { specHash: 'h2', optionsHash: 'o', spec: '../stores.yaml' });
    expect(refused.written).toBe(0);
    expect(refused.diagnostics).toEqual([
      expect.objectContaining({
        code: 'OUTPUT_OTHER_SPEC',
        severity: 'error',
        message: expect.stringContaining('generated from ../pets.yaml, not ../stores.yaml'),
      }),
    ]);
    expect(refused.diagnostics[0]?.message).toContain('2 tools removed, 1 added');
    expect(existsSync(join(out, 'src/generated/tools/a.gen.ts'))).toBe(true);
    const forced = writeProject(out, [tool('c')], {
      specHash: 'h2',
      optionsHash: 'o',
      spec: '../stores.yaml',
      force: true,
    });
    expect(forced.diagnostics).toEqual([]);
    expect(existsSync(join(out, 'src/generated/tools/a.gen.ts'))).toBe(false);
  });

  it('leaves a deleted scaffold file deleted, and brings it back with --force', () => {
    const out = join(root, 'deleted-scaffold');
    rmSync(out, { recursive: true, force: true });
    const files = [{ path: 'Dockerfile', owner: 'scaffold' as const, content: 'FROM node:22\n' }];
    writeProject(out, files, { specHash: 'h', optionsHash: 'o' });
    rmSync(join(out, 'Dockerfile'));
    const again = writeProject(out, files, { specHash: 'h', optionsHash: 'o' });
    expect(existsSync(join(out, 'Dockerfile'))).toBe(false);
    expect(again.diagnostics).toEqual([
      expect.objectContaining({ code: 'SCAFFOLD_FILE_DELETED', severity: 'info', file: 'Dockerfile' }),
    ]);
    writeProject(out, files, { specHash: 'h', optionsHash: 'o', force: true });
    expect(readFileSync(join(out, 'Dockerfile'), 'utf8')).toBe('FROM node:22\n');
  });

  it('removes generated files of operations that are gone, and keeps files it never wrote', () => {
    const out = join(root, 'regenerate');
    rmSync(out, { recursive: true, force: true });
    writeProject(out, [file('src/generated/tools/a.gen.ts', 'a'), file('src/generated/tools/b.gen.ts', 'b')], {
      specHash: 'h1',
      optionsHash: 'o',
    });
    writeFileSync(join(out, 'NOTES.md'), 'mine');
    const report = writeProject(out, [file('src/generated/tools/a.gen.ts', 'a2')], {
      specHash: 'h2',
      optionsHash: 'o',
    });
    expect(report.removed).toEqual(['src/generated/tools/b.gen.ts']);
    expect(existsSync(join(out, 'src/generated/tools/b.gen.ts'))).toBe(false);
    expect(readFileSync(join(out, 'src/generated/tools/a.gen.ts'), 'utf8')).toBe('a2');
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('mine');
  });

  it('reports an edited generator file (EDITED_FILE_OVERWRITTEN) and restores it; a regenerated one goes unsaid', () => {
    const out = join(root, 'edited-runtime');
    rmSync(out, { recursive: true, force: true });
    const runtime = file('src/runtime/http/a.ts', 'export const a = 1;\n');
    writeProject(out, [runtime, file('src/generated/tools/t.gen.ts', 't1')], { specHash: 'h', optionsHash: 'o' });
    writeFileSync(join(out, 'src/runtime/http/a.ts'), 'export const a = 2; // my fix\n');

    // --check and --dry-run: the edit is drift, and named.
    const diff = diffProject(out, [runtime, file('src/generated/tools/t.gen.ts', 't2')], {
      specHash: 'h',
      optionsHash: 'o',
    });
    expect(diff.changes.overwritten).toEqual(['src/runtime/http/a.ts']);
    expect(diff.changes.changed).toEqual(['src/runtime/http/a.ts', 'src/generated/tools/t.gen.ts', LOCK_FILE]);
    expect(readFileSync(join(out, 'src/runtime/http/a.ts'), 'utf8')).toContain('my fix');

    const report = writeProject(out, [runtime, file('src/generated/tools/t.gen.ts', 't2')], {
      specHash: 'h',
      optionsHash: 'o',
    });
    expect(report.diagnostics).toEqual([
      {
        code: 'EDITED_FILE_OVERWRITTEN',
        severity: 'warning',
        file: 'src/runtime/http/a.ts',
        message: "replaced your edited src/runtime/http/a.ts with the generator's version: the generator owns it",
        hint: expect.stringContaining('list src/runtime/http/a.ts in .openapi-to-mcp-keep'),
      },
    ]);
    expect(readFileSync(join(out, 'src/runtime/http/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(readFileSync(join(out, 'src/generated/tools/t.gen.ts'), 'utf8')).toBe('t2');
    // Restored: the next run has nothing to say.
    const again = writeProject(out, [runtime, file('src/generated/tools/t.gen.ts', 't2')], {
      specHash: 'h',
      optionsHash: 'o',
    });
    expect(again.diagnostics).toEqual([]);
  });

  it('never deletes outside the project because a lock file on disk says so', () => {
    const out = join(root, 'hostile-lock');
    const victim = join(root, 'victim.txt');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    writeFileSync(victim, 'keep me');
    const hostile = {
      generator: 'openapi-to-mcp',
      version: '0',
      specHash: 'x',
      files: { '../victim.txt': 'x', [victim]: 'x' },
    };
    writeFileSync(join(out, LOCK_FILE), JSON.stringify(hostile));
    const report = writeProject(out, [file('README.md', 'r')], { specHash: 'h', optionsHash: 'o' });
    expect(report.removed).toEqual([]);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('never writes or deletes through a folder that is a symbolic link', () => {
    const out = join(root, 'linked');
    const elsewhere = join(root, 'elsewhere');
    rmSync(out, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
    mkdirSync(join(elsewhere, 'tools'), { recursive: true });
    writeFileSync(join(elsewhere, 'tools/a.gen.ts'), 'a');
    writeProject(out, [file('README.md', 'r')], { specHash: 'h', optionsHash: 'o' });
    rmSync(join(out, 'src'), { recursive: true, force: true });
    mkdirSync(join(out, 'src'));
    symlinkSync(elsewhere, join(out, 'src/generated'), 'dir');
    const report = writeProject(out, [file('README.md', 'r'), file('src/generated/tools/a.gen.ts', 'changed')], {
      specHash: 'h',
      optionsHash: 'o',
    });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['OUTPUT_WRITE_FAILED']);
    expect(report.diagnostics[0]?.message).toContain('symbolic link');
    expect(readFileSync(join(elsewhere, 'tools/a.gen.ts'), 'utf8')).toBe('a');
  });
});

/** diffProject answers for the files of a missing folder without looking at each: the same answers as looking. */
describe('diffProject where folders are missing, files or links', () => {
  it('finds files in folders that exist, and none in folders that are missing, files or dangling links', () => {
    const out = join(root, 'missing-folders');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(out, 'src/present'), { recursive: true });
    writeFileSync(join(out, 'src/present/a.ts'), 'a');
    writeFileSync(join(out, 'src/file'), 'a file where a folder would be');
    symlinkSync(join(out, 'nowhere'), join(out, 'src/dangling'));
    mkdirSync(join(out, 'elsewhere'));
    writeFileSync(join(out, 'elsewhere/c.ts'), 'c');
    symlinkSync(join(out, 'elsewhere'), join(out, 'src/linked'));
    const files = [
      file('src/present/a.ts', 'a'),
      file('src/present/b.ts', 'b'),
      file('src/missing/deep/c.ts', 'c'),
      file('src/file/d.ts', 'd'),
      file('src/dangling/e.ts', 'e'),
      file('src/linked/c.ts', 'c'),
      file('top.ts', 't'),
    ];
    const { reconciled } = diffProject(out, files, { specHash: 'h', optionsHash: 'o' }, { restoreDeleted: true });
    expect(reconciled.writes.map((w) => [w.path, w.replaces])).toEqual([
      ['src/present/b.ts', false],
      ['src/missing/deep/c.ts', false],
      ['src/file/d.ts', false],
      ['src/dangling/e.ts', false],
      ['top.ts', false],
      [LOCK_FILE, false],
    ]);
  });

  it('a new project: every file absent, nothing created by looking', () => {
    const out = join(root, 'not-yet');
    rmSync(out, { recursive: true, force: true });
    const { reconciled, foreign } = diffProject(out, [file('a/b/c.ts', 'c'), file('d.ts', 'd')], {
      specHash: 'h',
      optionsHash: 'o',
    });
    expect(foreign).toBe(false);
    expect(reconciled.writes.map((w) => w.path)).toEqual(['a/b/c.ts', 'd.ts', LOCK_FILE]);
    expect(existsSync(out)).toBe(false);
  });
});
