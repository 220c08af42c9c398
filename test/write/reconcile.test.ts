import { describe, expect, it } from 'vitest';
import type { FileOwner } from '../../src/plan/plan-project.js';
import type { Lock } from '../../src/write/lock-file.js';
import { LOCK_FILE, parseLock, sha256 } from '../../src/write/lock-file.js';
import type { DiskEntry, KeptFile } from '../../src/write/reconcile.js';
import { reconcile } from '../../src/write/reconcile.js';

const INPUTS = { specHash: 's', optionsHash: 'o' };

interface Row {
  /** The new file at `f` with this owner and content (none: the generator no longer produces it). */
  readonly owner: FileOwner;
  readonly next?: string;
  /** The previous lock's entry for `f` (content whose hash it holds), if any. */
  readonly locked?: string;
  /** What is on disk at `f`. */
  readonly disk?: string;
  /** `f` is listed in `.openapi-to-mcp-keep`. */
  readonly keep?: true;
  /** `overwritten`: a generator file replaced although its bytes differ from the lock's (a hand edit), reported. */
  readonly want: { write?: 'add' | 'replace'; remove?: true; kept?: KeptFile['reason']; overwritten?: true };
}

/** DESIGN.md §7, one path at a time. */
const rows: readonly [string, Row][] = [
  ['generator file, missing on disk: written', { owner: 'generator', next: 'b', locked: 'a', want: { write: 'add' } }],
  ['generator file, same bytes: left alone', { owner: 'generator', next: 'a', locked: 'a', disk: 'a', want: {} }],
  [
    'generator file, hand-edited: overwritten and reported',
    { owner: 'generator', next: 'b', locked: 'a', disk: 'x', want: { write: 'replace', overwritten: true } },
  ],
  [
    'generator file, hand-edited, the generator makes the same as last time: restored and reported',
    { owner: 'generator', next: 'a', locked: 'a', disk: 'x', want: { write: 'replace', overwritten: true } },
  ],
  [
    'generator file, untouched since the lock: regenerated without a word',
    { owner: 'generator', next: 'b', locked: 'a', disk: 'a', want: { write: 'replace' } },
  ],
  [
    'generator file, edited to what the generator now makes: left alone',
    { owner: 'generator', next: 'b', locked: 'a', disk: 'b', want: {} },
  ],
  [
    'generator file the lock does not list, different on disk: overwritten and reported',
    { owner: 'generator', next: 'b', disk: 'x', want: { write: 'replace', overwritten: true } },
  ],
  [
    'generator file listed in .openapi-to-mcp-keep, edited: kept, not overwritten',
    { owner: 'generator', next: 'b', locked: 'a', disk: 'x', keep: true, want: { kept: 'listed' } },
  ],
  [
    'generator file listed in .openapi-to-mcp-keep, untouched: regenerated',
    { owner: 'generator', next: 'b', locked: 'a', disk: 'a', keep: true, want: { write: 'replace' } },
  ],
  [
    'generator file listed in .openapi-to-mcp-keep, not on disk: written',
    { owner: 'generator', next: 'b', locked: 'a', keep: true, want: { write: 'add' } },
  ],
  [
    'scaffold file, untouched since the lock: updated',
    { owner: 'scaffold', next: 'b', locked: 'a', disk: 'a', want: { write: 'replace' } },
  ],
  ['scaffold file, edited: kept', { owner: 'scaffold', next: 'b', locked: 'a', disk: 'x', want: { kept: 'edited' } }],
  [
    'scaffold file, edited to what the generator now makes: left alone',
    { owner: 'scaffold', next: 'b', locked: 'a', disk: 'b', want: {} },
  ],
  [
    'scaffold file the lock does not list: kept',
    { owner: 'scaffold', next: 'b', disk: 'x', want: { kept: 'unlocked' } },
  ],
  // Issue 11: a Dockerfile the team does not want, or the workflow moved to the repository root.
  [
    'scaffold file the user deleted: stays deleted, not drift',
    { owner: 'scaffold', next: 'b', locked: 'a', want: { kept: 'deleted' } },
  ],
  ['scaffold file new in this version: written', { owner: 'scaffold', next: 'b', want: { write: 'add' } }],
  ['user file, missing: created', { owner: 'user', next: 'p', locked: 'p', want: { write: 'add' } }],
  ['user file, edited: never overwritten', { owner: 'user', next: 'p', locked: 'p', disk: 'mine', want: {} }],
  ['gone from the plan, untouched: removed', { owner: 'generator', locked: 'a', disk: 'a', want: { remove: true } }],
  [
    'gone from the plan, edited: kept',
    { owner: 'generator', locked: 'a', disk: 'x', want: { kept: 'edited-obsolete' } },
  ],
  ['gone from the plan, already deleted: nothing', { owner: 'scaffold', locked: 'a', want: {} }],
  ['user file gone from the plan: never removed', { owner: 'user', locked: 'p', disk: 'p', want: {} }],
];

describe('reconcile: what the user deleted, --force and package.json', () => {
  const lockOf = (files: Record<string, { owner: FileOwner; content: string }>): Lock => ({
    generator: 'openapi-to-mcp',
    version: '0',
    specHash: 's0',
    optionsHash: 'o',
    files: Object.fromEntries(
      Object.entries(files).map(([p, f]) => [p, { owner: f.owner, sha256: sha256(f.content) }]),
    ),
  });

  it('--force (restoreDeleted) brings a deleted scaffold file back', () => {
    const previous = lockOf({ Dockerfile: { owner: 'scaffold', content: 'a' } });
    const got = reconcile(
      [{ path: 'Dockerfile', owner: 'scaffold', content: 'b' }],
      previous,
      () => ({ kind: 'absent' }),
      INPUTS,
      { restoreDeleted: true },
    );
    expect(got.writes.map((w) => w.path)).toEqual(['Dockerfile', LOCK_FILE]);
    expect(got.kept).toEqual([]);
  });

  it("merges an edited package.json: the generator's dependency pins and new scripts, the user's additions kept", () => {
    const before = {
      name: 'x',
      scripts: { build: 'tsc' },
      dependencies: { jose: '6.0.0' },
      devDependencies: { vitest: '4.0.0' },
    };
    const mine = {
      ...before,
      scripts: { build: 'tsc', lint: 'eslint .' },
      dependencies: { dotenv: '^17.0.0', jose: '6.0.0' },
    };
    const next = {
      name: 'x',
      scripts: { build: 'tsc', dev: 'node dist/dev.js' },
      dependencies: { jose: '6.2.17' },
      devDependencies: { vitest: '4.1.12' },
    };
    const previous = lockOf({ 'package.json': { owner: 'scaffold', content: JSON.stringify(before) } });
    const current = `${JSON.stringify(mine, null, 2)}\n`;
    const disk = (p: string): DiskEntry =>
      p === 'package.json' ? { kind: 'file', sha256: sha256(current) } : { kind: 'absent' };
    const got = reconcile(
      [{ path: 'package.json', owner: 'scaffold', content: JSON.stringify(next) }],
      previous,
      disk,
      INPUTS,
      { read: () => current },
    );
    const written = got.writes.find((w) => w.path === 'package.json');
    expect(written?.replaces).toBe(true);
    expect(JSON.parse(written!.content)).toEqual({
      name: 'x',
      scripts: { build: 'tsc', lint: 'eslint .', dev: 'node dist/dev.js' },
      dependencies: { dotenv: '^17.0.0', jose: '6.2.17' },
      devDependencies: { vitest: '4.1.12' },
    });
    expect(got.kept).toEqual([]);

    // Once merged, the next run finds nothing to change: not stale, no warning.
    const again = reconcile(
      [{ path: 'package.json', owner: 'scaffold', content: JSON.stringify(next) }],
      previous,
      (p) => (p === 'package.json' ? { kind: 'file', sha256: sha256(written!.content) } : { kind: 'absent' }),
      INPUTS,
      { read: () => written!.content },
    );
    expect(again.writes.map((w) => w.path)).not.toContain('package.json');
    expect(again.kept).toEqual([]);
  });

  it("keeps a package.json that is not JSON as the user's", () => {
    const previous = lockOf({ 'package.json': { owner: 'scaffold', content: '{}' } });
    const disk = (): DiskEntry => ({ kind: 'file', sha256: sha256('not json') });
    const got = reconcile([{ path: 'package.json', owner: 'scaffold', content: '{"a":1}' }], previous, disk, INPUTS, {
      read: () => 'not json',
    });
    expect(got.kept).toEqual([{ path: 'package.json', reason: 'edited' }]);
  });
});

describe('reconcile', () => {
  it.each(rows)('%s', (_name, row) => {
    const path = 'f';
    const previous: Lock = {
      generator: 'openapi-to-mcp',
      version: '0',
      specHash: 's0',
      optionsHash: 'o',
      files: row.locked === undefined ? {} : { [path]: { owner: row.owner, sha256: sha256(row.locked) } },
    };
    const disk = (p: string): DiskEntry =>
      p === path && row.disk !== undefined ? { kind: 'file', sha256: sha256(row.disk) } : { kind: 'absent' };
    const files = row.next === undefined ? [] : [{ path, owner: row.owner, content: row.next }];
    const got = reconcile(files, previous, disk, INPUTS, { keep: (p) => row.keep === true && p === path });
    const write = got.writes.find((w) => w.path === path);
    expect(write ? (write.replaces ? 'replace' : 'add') : undefined).toBe(row.want.write);
    expect(got.removes.includes(path)).toBe(row.want.remove === true);
    expect(got.kept.find((k) => k.path === path)?.reason).toBe(row.want.kept);
    expect(got.overwritten).toEqual(row.want.overwritten ? [path] : []);
  });

  it("writes the lock file last, and records the generator's hash even for a kept file", () => {
    const previous = parseLock(JSON.stringify({ generator: 'openapi-to-mcp', files: { 'README.md': sha256('old') } }))!;
    const disk = (p: string): DiskEntry =>
      p === 'README.md' ? { kind: 'file', sha256: sha256('mine') } : { kind: 'absent' };
    const got = reconcile(
      [
        { path: 'README.md', owner: 'scaffold', content: 'new' },
        { path: 'src/generated/a.gen.ts', owner: 'generator', content: 'a' },
      ],
      previous,
      disk,
      INPUTS,
    );
    expect(got.writes.map((w) => w.path)).toEqual(['src/generated/a.gen.ts', LOCK_FILE]);
    expect(got.lock.files['README.md']).toEqual({ owner: 'scaffold', sha256: sha256('new') });
  });
});

describe('parseLock', () => {
  it('drops entries that are not plain paths inside the project or not sha256 hashes', () => {
    const hash = sha256('x');
    const lock = parseLock(
      JSON.stringify({
        generator: 'openapi-to-mcp',
        files: {
          'ok.ts': { owner: 'scaffold', sha256: hash },
          'legacy.ts': hash,
          '../up.ts': hash,
          '/abs.ts': hash,
          'a//b.ts': hash,
          'a\\b.ts': hash,
          'bad-owner.ts': { owner: 'root', sha256: hash },
          'bad-hash.ts': { owner: 'generator', sha256: 'zz' },
        },
      }),
    );
    expect(lock?.files).toEqual({
      'ok.ts': { owner: 'scaffold', sha256: hash },
      'legacy.ts': { owner: 'generator', sha256: hash },
    });
  });

  it.each([['not json'], ['[]'], ['{"generator":"other","files":{}}']])('%s: no lock', (text) => {
    expect(parseLock(text)).toBeUndefined();
  });
});
