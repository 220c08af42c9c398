import type { EmittedFile } from '../emit/emit-project.js';
import type { Lock, LockInputs } from './lock-file.js';
import type { KeepList } from './keep-file.js';
import { LOCK_FILE, buildLock, renderLock, sha256 } from './lock-file.js';
import { mergePackageJson } from './merge-package-json.js';

/** What is at a project path now: nothing, a regular file (with its hash), or something else (folder, symlink). */
export type DiskEntry =
  { readonly kind: 'absent' } | { readonly kind: 'file'; readonly sha256: string } | { readonly kind: 'other' };

export interface PendingWrite {
  readonly path: string;
  readonly content: string;
  /** Whether something is at the path now (it is backed up, then replaced). */
  readonly replaces: boolean;
}

/**
 * A file the generator would change or delete but leaves alone because it is the user's:
 * `edited`: a scaffold file whose bytes differ from the lock's hash;
 * `unlocked`: a scaffold file the lock does not list (the user's, or the project predates the lock);
 * `listed`: a generator file the user edited and named in `.openapi-to-mcp-keep` (keep-file.ts);
 * `edited-obsolete`: a file the generator no longer produces and that was edited since;
 * `deleted`: a scaffold file the user deleted (or moved, like the CI workflow to the repository
 * root): it stays deleted and is not drift, unless the run restores deleted files (`--force`).
 */
export interface KeptFile {
  readonly path: string;
  readonly reason: 'edited' | 'unlocked' | 'listed' | 'edited-obsolete' | 'deleted';
}

export interface ReconcileOptions {
  /** Recreate scaffold files the user deleted (`--force`). */
  readonly restoreDeleted?: boolean;
  /** Generator files the user keeps once edited, as scaffold files are (`.openapi-to-mcp-keep`). */
  readonly keep?: KeepList;
  /** The text at a project path (only asked for an edited `package.json`, to merge it). */
  readonly read?: (path: string) => string | undefined;
}

/** Merged rather than kept when edited: see merge-package-json.ts. */
const MERGED = 'package.json';

export interface Reconciled {
  /** Files to create or replace, sorted by path, the lock file last. */
  readonly writes: readonly PendingWrite[];
  /** Generator files of the previous run that are no longer produced and are untouched since. */
  readonly removes: readonly string[];
  readonly kept: readonly KeptFile[];
  /**
   * Generator files about to be replaced although their bytes differ from what the previous lock
   * says the generator wrote (or the lock does not list them): a hand edit the write undoes. Sorted.
   */
  readonly overwritten: readonly string[];
  readonly lock: Lock;
}

/**
 * DESIGN.md §7, ownership, decided per path from the new files, the previous lock and the disk:
 * - `generator` files (src/generated/, src/runtime/, test/cases.gen.ts) are rewritten whenever they
 *   differ; one whose bytes no longer match the lock was edited by hand and is listed in `overwritten`;
 * - `scaffold` files are rewritten only while their bytes still match the lock (the user has not
 *   edited them); otherwise they are kept and reported;
 * - `user` files are created when missing and never overwritten or deleted;
 * - a `generator` file the user lists in `.openapi-to-mcp-keep` is treated as scaffold, except that
 *   its edit is reported as `listed`;
 * - a path the new run does not produce is deleted only if the previous lock lists it as the
 *   generator's and its bytes still match the lock; anything not in the lock is never touched.
 * Pure: the disk is read through `disk`.
 */
export function reconcile(
  files: readonly EmittedFile[],
  previous: Lock | undefined,
  disk: (path: string) => DiskEntry,
  inputs: LockInputs,
  options: ReconcileOptions = {},
): Reconciled {
  const writes: PendingWrite[] = [];
  const kept: KeptFile[] = [];
  const overwritten: string[] = [];
  for (const file of files) {
    const now = disk(file.path);
    if (now.kind === 'absent') {
      if (file.owner === 'scaffold' && previous?.files[file.path] !== undefined && !options.restoreDeleted) {
        kept.push({ path: file.path, reason: 'deleted' });
        continue;
      }
      writes.push({ path: file.path, content: file.content, replaces: false });
      continue;
    }
    if (now.kind === 'file' && now.sha256 === sha256(file.content)) continue;
    if (file.owner === 'user') continue;
    const locked = previous?.files[file.path];
    const untouched = locked !== undefined && now.kind === 'file' && now.sha256 === locked.sha256;
    if (file.owner === 'generator' && !untouched) {
      if (options.keep?.(file.path) === true) {
        kept.push({ path: file.path, reason: 'listed' });
        continue;
      }
      overwritten.push(file.path);
    }
    if (file.owner === 'scaffold' && !untouched) {
      // Only a package.json we wrote is merged; one in a folder we did not create stays the user's.
      const current =
        file.path === MERGED && locked !== undefined && now.kind === 'file' ? options.read?.(file.path) : undefined;
      const merged = current === undefined ? undefined : mergePackageJson(current, file.content);
      if (merged !== undefined) {
        if (merged !== current) writes.push({ path: file.path, content: merged, replaces: true });
        continue;
      }
      kept.push({ path: file.path, reason: locked ? 'edited' : 'unlocked' });
      continue;
    }
    writes.push({ path: file.path, content: file.content, replaces: true });
  }

  const produced = new Set(files.map((f) => f.path));
  const removes: string[] = [];
  for (const [path, entry] of Object.entries(previous?.files ?? {})) {
    if (produced.has(path) || path === LOCK_FILE || entry.owner === 'user') continue;
    const now = disk(path);
    if (now.kind === 'absent') continue;
    if (now.kind === 'file' && now.sha256 === entry.sha256) removes.push(path);
    else kept.push({ path, reason: 'edited-obsolete' });
  }

  const lock = buildLock(files, inputs);
  const lockText = renderLock(lock);
  const lockNow = disk(LOCK_FILE);
  if (lockNow.kind !== 'file' || lockNow.sha256 !== sha256(lockText)) {
    writes.push({ path: LOCK_FILE, content: lockText, replaces: lockNow.kind !== 'absent' });
  }
  kept.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { writes, removes: removes.sort(), kept, overwritten: overwritten.sort(), lock };
}
