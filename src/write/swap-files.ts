import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PendingWrite } from './reconcile.js';

/** The two calls that change the project; tests pass their own to fail half-way. */
export interface SwapFs {
  readonly writeFile: (path: string, content: string) => void;
  readonly rename: (from: string, to: string) => void;
}

export const NODE_FS: SwapFs = { writeFile: (path, content) => writeFileSync(path, content), rename: renameSync };

/**
 * Changes `out` all or nothing: every new file is first written to a staging folder beside `out`
 * (same file system, so renames are atomic); then each file to be replaced or removed is moved to
 * a backup folder and the staged file moved in, the lock file last. If anything fails, every step
 * is undone in reverse order and the error is rethrown, so the old project is left as it was.
 * (A crash of the process itself mid-swap leaves the backup folder beside `out`; its name is
 * `<out>.openapi-to-mcp-backup-<pid>`, and the next run refuses to write until it is dealt with:
 * see `OUTPUT_INTERRUPTED` in write-project.ts.)
 *
 * Paths are trusted to be plain relative paths (see `isProjectPath`); no folder on the way may be a
 * symbolic link, so nothing is written or removed outside `out` through one.
 */
export function swapFiles(out: string, writes: readonly PendingWrite[], removes: readonly string[], fs: SwapFs = NODE_FS): void {
  for (const path of [...writes.map((w) => w.path), ...removes]) assertNoLinkedFolder(out, path);
  const stage = `${out}.openapi-to-mcp-stage-${process.pid}`;
  const backup = `${out}.openapi-to-mcp-backup-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  rmSync(backup, { recursive: true, force: true });
  // The folders above a new project are ours too: a failed first write leaves none of them.
  const madeParent = mkdirSync(dirname(out), { recursive: true });
  const dropParent = () => madeParent !== undefined && rmSync(madeParent, { recursive: true, force: true });
  try {
    for (const file of writes) {
      mkdirSync(dirname(join(stage, file.path)), { recursive: true });
      fs.writeFile(join(stage, file.path), file.content);
    }
  } catch (error) {
    rmSync(stage, { recursive: true, force: true });
    dropParent();
    throw error;
  }

  const undo: (() => void)[] = [];
  const makeDir = (dir: string) => {
    const created = mkdirSync(dir, { recursive: true });
    if (created !== undefined) undo.push(() => rmSync(created, { recursive: true, force: true }));
  };
  const move = (from: string, to: string) => {
    makeDir(dirname(to));
    fs.rename(from, to);
    undo.push(() => renameSync(to, from));
  };
  try {
    makeDir(out);
    for (const path of removes) move(join(out, path), join(backup, path));
    for (const file of writes) {
      if (file.replaces) move(join(out, file.path), join(backup, file.path));
      move(join(stage, file.path), join(out, file.path));
    }
  } catch (error) {
    const failed = rollBack(undo);
    rmSync(stage, { recursive: true, force: true });
    if (failed.length > 0) {
      throw new Error(`${(error as Error).message}; rolling back also failed (${failed.join('; ')}), the old files are in ${backup}`);
    }
    rmSync(backup, { recursive: true, force: true });
    dropParent();
    throw error;
  }
  rmSync(stage, { recursive: true, force: true });
  rmSync(backup, { recursive: true, force: true });
  for (const path of removes) removeEmptyParents(out, path);
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

function assertNoLinkedFolder(out: string, path: string): void {
  const segments = path.split('/').slice(0, -1);
  let dir = out;
  for (const segment of segments) {
    dir = join(dir, segment);
    let isLink: boolean;
    try {
      isLink = lstatSync(dir).isSymbolicLink();
    } catch {
      return; // does not exist yet: created as a real folder
    }
    if (isLink) throw new Error(`${dir} is a symbolic link; openapi-to-mcp does not write through links`);
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
