import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, writeProject } from '../../src/write/write-project.js';
import { CACHE } from '../support/generated-project.js';

const root = join(CACHE, 'write-tests');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = (path: string, content: string) => ({ path, owner: 'generator' as const, content });

describe('writeProject', () => {
  it('removes generated files of operations that are gone, and keeps files it never wrote', () => {
    const out = join(root, 'regenerate');
    rmSync(out, { recursive: true, force: true });
    writeProject(out, [file('src/generated/tools/a.gen.ts', 'a'), file('src/generated/tools/b.gen.ts', 'b')], { specHash: 'h1', optionsHash: 'o' });
    writeFileSync(join(out, 'NOTES.md'), 'mine');
    const report = writeProject(out, [file('src/generated/tools/a.gen.ts', 'a2')], { specHash: 'h2', optionsHash: 'o' });
    expect(report.removed).toEqual(['src/generated/tools/b.gen.ts']);
    expect(existsSync(join(out, 'src/generated/tools/b.gen.ts'))).toBe(false);
    expect(readFileSync(join(out, 'src/generated/tools/a.gen.ts'), 'utf8')).toBe('a2');
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('mine');
  });

  it('never deletes outside the project because a lock file on disk says so', () => {
    const out = join(root, 'hostile-lock');
    const victim = join(root, 'victim.txt');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    writeFileSync(victim, 'keep me');
    const hostile = { generator: 'openapi-to-mcp', version: '0', specHash: 'x', files: { '../victim.txt': 'x', [victim]: 'x' } };
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
    const report = writeProject(out, [file('README.md', 'r'), file('src/generated/tools/a.gen.ts', 'changed')], { specHash: 'h', optionsHash: 'o' });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['OUTPUT_WRITE_FAILED']);
    expect(report.diagnostics[0]?.message).toContain('symbolic link');
    expect(readFileSync(join(elsewhere, 'tools/a.gen.ts'), 'utf8')).toBe('a');
  });
});
