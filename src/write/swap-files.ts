import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { PendingWrite } from './reconcile.js';

/** The two calls that change the project; tests pass their own to fail half-way. */
export interface SwapFs {
  readonly writeFile: (path: string, content: string) => void;
  readonly rename: (from: string, to: string) => void;
}

const NODE_FS: SwapFs = { writeFile: (path, content) => writeFileSync(path, content), rename: renameSync };

/** Where a run stages new files and keeps the files it replaces, inside the project folder. */
const STAGE_PREFIX = '.openapi-to-mcp-stage-';
export const BACKUP_PREFIX = '.openapi-to-mcp-backup-';

/**
 * Changes `out` all or nothing: every new file is first written to a staging folder inside `out`
 * (the same file system even when `out` is a mount point such as a Docker bind mount, and nothing
 * is written in its parent, which may not be writable), at its own path there; then each file to
 * be replaced or removed is moved to a backup folder, also inside `out`, and the staged file moved
 * in, the lock file last. A folder `out` does not have yet (all of them in a new project) is
 * moved in whole, with one rename: 5,000 tool files on a 5,000-operation spec are one rename, not
 * 5,000 (issue 8). If anything fails, every step is undone in reverse order and the error is rethrown, so
 * the old project is left as it was. A rename across file systems (EXDEV: a sub-folder that is a
 * mount of its own) falls back to copying. (A crash of the process itself mid-swap leaves the
 * backup folder `<out>/.openapi-to-mcp-backup-<pid>`, and the next run refuses to write until it
 * is dealt with: see `OUTPUT_INTERRUPTED` in write-project.ts.)
 *
 * Paths are trusted to be plain relative paths (see `isProjectPath`); no folder on the way may be a
 * symbolic link, so nothing is written or removed outside `out` through one.
 */
export function swapFiles(
  out: string,
  writes: readonly PendingWrite[],
  removes: readonly string[],
  fs: SwapFs = NODE_FS,
): void {
  const folders = new Map<string, boolean>();
  for (const path of [...writes.map((w) => w.path), ...removes]) assertNoLinkedFolder(out, path, folders);
  const stage = join(out, `${STAGE_PREFIX}${process.pid}`);
  const backup = join(out, `${BACKUP_PREFIX}${process.pid}`);
  // A new project's folder, and the folders above it, are ours: a failed first write leaves none of them.
  const madeParent = mkdirSync(out, { recursive: true });
  const dropParent = () => madeParent !== undefined && rmSync(madeParent, { recursive: true, force: true });
  rmSync(stage, { recursive: true, force: true });
  rmSync(backup, { recursive: true, force: true });
  // Staged at their own paths: one folder to make per project folder (17 on GitHub's API), so a
  // folder the project does not have yet can be moved in whole.
  const staged = (path: string) => join(stage, path);
  try {
    mkdirSync(stage);
    const stagedFolders = new Set<string>();
    for (const file of writes) {
      const folder = dirname(staged(file.path));
      if (!stagedFolders.has(folder)) {
        stagedFolders.add(folder);
        mkdirSync(folder, { recursive: true });
      }
      fs.writeFile(staged(file.path), file.content);
    }
  } catch (error) {
    rmSync(stage, { recursive: true, force: true });
    dropParent();
    throw error;
  }

  const undo: (() => void)[] = [];
  // Folders made (or found) by this run: each is made once, as nothing removes one before the swap ends.
  const made = new Set<string>();
  const makeDir = (dir: string) => {
    if (made.has(dir)) return;
    made.add(dir);
    const created = mkdirSync(dir, { recursive: true });
    if (created !== undefined) undo.push(() => rmSync(created, { recursive: true, force: true }));
  };
  const move = (from: string, to: string) => {
    makeDir(dirname(to));
    renameOrCopy(fs, from, to);
    undo.push(() => renameOrCopy(NODE_FS, to, from));
  };
  try {
    for (const path of removes) move(join(out, path), join(backup, path));
    // A new folder holds only new files (a replaced or removed file's folder exists), so moving it
    // whole when its first file comes moves exactly the staged files under it.
    const movedFolders = new Set<string>();
    for (const file of writes) {
      const folder = newFolderOf(file.path, (dir) => folders.get(join(out, dir)));
      if (folder !== undefined) {
        if (!movedFolders.has(folder)) {
          movedFolders.add(folder);
          move(staged(folder), join(out, folder));
        }
        continue;
      }
      if (file.replaces) move(join(out, file.path), join(backup, file.path));
      move(staged(file.path), join(out, file.path));
    }
  } catch (error) {
    const failed = rollBack(undo);
    rmSync(stage, { recursive: true, force: true });
    if (failed.length > 0) {
      throw new Error(
        `${(error as Error).message}; rolling back also failed (${failed.join('; ')}), the old files are in ${backup}`,
      );
    }
    rmSync(backup, { recursive: true, force: true });
    dropParent();
    throw error;
  }
  rmSync(stage, { recursive: true, force: true });
  rmSync(backup, { recursive: true, force: true });
  for (const path of removes) removeEmptyParents(out, path);
}

/** A rename, or a copy and delete where the two paths are on different file systems (EXDEV). */
function renameOrCopy(fs: SwapFs, from: string, to: string): void {
  try {
    fs.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    copyTree(from, to);
    rmSync(from, { recursive: true });
  }
}

/** A file, or a folder of staged files and folders (no links: the stage holds only what we wrote). */
function copyTree(from: string, to: string): void {
  if (!statSync(from).isDirectory()) {
    copyFileSync(from, to);
    return;
  }
  mkdirSync(to);
  for (const name of readdirSync(from)) copyTree(join(from, name), join(to, name));
}

/**
 * The outermost folder on the way to `path` (relative, `/`-separated) that the project does not
 * have, if any. `exists` answers from `assertNoLinkedFolder`'s look, which stops at the first
 * missing folder of every path: so it knows every folder up to that one.
 */
function newFolderOf(path: string, exists: (dir: string) => boolean | undefined): string | undefined {
  const segments = path.split('/').slice(0, -1);
  for (let i = 1; i <= segments.length; i++) {
    const dir = segments.slice(0, i).join('/');
    if (exists(dir) === false) return dir;
  }
  return undefined;
}

function rollBack(undo: readonly (() => void)[]): string[] {
  const failed: string[] = [];
  for (const step of [...undo].reverse()) {
    try {
      step();
    } catch (error) {
      failed.push((error as Error).message);
    }
  }
  return failed;
}

/** `exists`: folders already looked at (true when present), so each is looked at once per run. */
function assertNoLinkedFolder(out: string, path: string, exists: Map<string, boolean>): void {
  const segments = path.split('/').slice(0, -1);
  let dir = out;
  for (const segment of segments) {
    dir = join(dir, segment);
    const known = exists.get(dir);
    if (known === false) return;
    if (known === true) continue;
    let isLink: boolean;
    try {
      isLink = lstatSync(dir).isSymbolicLink();
    } catch {
      exists.set(dir, false);
      return; // does not exist yet: created as a real folder
    }
    if (isLink) throw new Error(`${dir} is a symbolic link; openapi-to-mcp does not write through links`);
    exists.set(dir, true);
  }
}

/** A removed tool's folder goes once it is empty; folders that still hold anything stay. */
function removeEmptyParents(out: string, path: string): void {
  let dir = dirname(join(out, path));
  while (dir.startsWith(`${out}/`) || dir.startsWith(`${out}\\`)) {
    try {
      if (readdirSync(dir).length > 0) return;
      rmdirSync(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
