import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { EmittedFile } from '../emit/emit-project.js';
import type { KeepList } from './keep-file.js';
import { KEEP_FILE, KEEP_NOTHING, parseKeepFile } from './keep-file.js';
import type { Lock, LockInputs } from './lock-file.js';
import { LOCK_FILE, parseLock, sha256 } from './lock-file.js';
import type { ProjectChanges } from './project-changes.js';
import { editDiagnostics, projectChanges } from './project-changes.js';
import type { DiskEntry, Reconciled } from './reconcile.js';
import { reconcile } from './reconcile.js';
import type { SwapFs } from './swap-files.js';
import { BACKUP_PREFIX, swapFiles } from './swap-files.js';

export { LOCK_FILE };

export interface WriteOptions extends LockInputs {
  readonly force?: boolean;
  /** For tests: the file system calls that change the project. */
  readonly fs?: SwapFs;
}

export interface WriteReport {
  /** Files created or replaced, the lock file included. */
  readonly written: number;
  readonly removed: readonly string[];
  readonly changes: ProjectChanges;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ProjectDiff {
  readonly previous: Lock | undefined;
  readonly reconciled: Reconciled;
  readonly changes: ProjectChanges;
  /** `out` is not empty and has no lock file: openapi-to-mcp did not create it. */
  readonly foreign: boolean;
}

/** What regenerating `outDir` from `files` would change, without changing anything (`--check`, `--dry-run`). */
export function diffProject(
  outDir: string,
  files: readonly EmittedFile[],
  inputs: LockInputs,
  options: { restoreDeleted?: boolean } = {},
): ProjectDiff {
  const out = resolve(outDir);
  const previous = readLock(out);
  const foreign = !previous && existsSync(out) && readdirSync(out).length > 0;
  // reconcile asks only for a path it has already found to be a regular file.
  const read = (path: string) => readFileSync(join(out, path), 'utf8');
  const reconciled = reconcile(files, previous, diskEntries(out), inputs, {
    ...options,
    keep: readKeepList(out),
    read,
  });
  return { previous, reconciled, changes: projectChanges(reconciled, previous), foreign };
}

/**
 * The only stage that writes (DESIGN.md §7). Refuses a non-empty folder that has no lock file
 * (one we did not create) unless `force`; applies the changes of `diffProject` all or nothing
 * (see `swapFiles`), the lock file last. Edited scaffold files and anything the lock does not
 * list survive; the kept files are reported as EDITED_FILE_KEPT warnings, and generator files whose
 * hand edits are replaced as EDITED_FILE_OVERWRITTEN warnings.
 */
export function writeProject(outDir: string, files: readonly EmittedFile[], options: WriteOptions): WriteReport {
  const interrupted = interruptedRun(outDir);
  if (interrupted) {
    return {
      written: 0,
      removed: [],
      changes: diffProject(outDir, files, options).changes,
      diagnostics: [
        {
          code: 'OUTPUT_INTERRUPTED',
          severity: 'error',
          message: `A previous run was stopped while it replaced files in ${outDir}; the files it replaced are in ${interrupted}. Writing now could take half-updated files for your edits.`,
          hint: `Move the files in ${interrupted} back into ${outDir} (or restore the project from git), delete ${interrupted}, then run again.`,
        },
      ],
    };
  }
  const diff = diffProject(outDir, files, options, { restoreDeleted: options.force === true });
  const otherSpec =
    diff.previous?.spec !== undefined && options.spec !== undefined && diff.previous.spec !== options.spec;
  if (otherSpec && !options.force) {
    const replaced = diff.changes.changed.length + diff.changes.removed.length;
    return {
      written: 0,
      removed: [],
      changes: diff.changes,
      diagnostics: [
        {
          code: 'OUTPUT_OTHER_SPEC',
          severity: 'error',
          message: `${outDir} was generated from ${diff.previous.spec}, not ${options.spec}; generating would replace ${replaced} of its files (${diff.changes.tools.removed.length} tools removed, ${diff.changes.tools.added.length} added).`,
          hint: `Pass --force to replace it with a project for ${options.spec}, or choose another -o folder.`,
        },
      ],
    };
  }
  if (diff.foreign && !options.force) {
    return {
      written: 0,
      removed: [],
      changes: diff.changes,
      diagnostics: [
        {
          code: 'OUTPUT_NOT_EMPTY',
          severity: 'error',
          message: `${outDir} is not empty and has no ${LOCK_FILE}, so openapi-to-mcp did not create it.`,
          hint: 'Choose an empty or new folder, or pass --force to write into it anyway.',
        },
      ],
    };
  }
  const { writes, removes } = diff.reconciled;
  try {
    swapFiles(resolve(outDir), writes, removes, options.fs);
  } catch (error) {
    return {
      written: 0,
      removed: [],
      changes: diff.changes,
      diagnostics: [
        {
          code: 'OUTPUT_WRITE_FAILED',
          severity: 'error',
          message: `Could not write ${outDir}: ${(error as Error).message}`,
          hint: 'Nothing was changed. Pass -o a folder, or a path that does not exist yet, that you can write to.',
        },
      ],
    };
  }
  return {
    written: writes.length,
    removed: removes,
    changes: diff.changes,
    diagnostics: editDiagnostics(diff.changes, true),
  };
}

function readLock(out: string): Lock | undefined {
  const path = join(out, LOCK_FILE);
  if (diskEntry(out, LOCK_FILE).kind !== 'file') return undefined;
  return parseLock(readFileSync(path, 'utf8'));
}

/** The project's `.openapi-to-mcp-keep`, when it is a regular file (see keep-file.ts). */
function readKeepList(out: string): KeepList {
  if (diskEntry(out, KEEP_FILE).kind !== 'file') return KEEP_NOTHING;
  return parseKeepFile(readFileSync(join(out, KEEP_FILE), 'utf8'));
}

/**
 * `diskEntry` for many paths: a path whose folder is missing (every path of a new project, each
 * file of a new tool folder) is absent without a system call and a thrown ENOENT per file (5,000
 * on a 5,000-operation spec, issue 8). Each folder is looked at once, outermost first. Only a
 * missing folder answers for its files: whether a file is there is still asked of the file
 * system, which knows its own rules (case-insensitive names, say).
 */
function diskEntries(out: string): (path: string) => DiskEntry {
  const missing = new Map<string, boolean>();
  const folderMissing = (dir: string): boolean => {
    let known = missing.get(dir);
    if (known === undefined) {
      const slash = dir.lastIndexOf('/');
      known = (dir !== '' && folderMissing(slash < 0 ? '' : dir.slice(0, slash))) || !isFolder(join(out, dir));
      missing.set(dir, known);
    }
    return known;
  };
  return (path) => {
    const slash = path.lastIndexOf('/');
    if (folderMissing(slash < 0 ? '' : path.slice(0, slash))) return { kind: 'absent' };
    return diskEntry(out, path);
  };
}

/** False where nothing is, or a file: then lstat of anything inside fails with ENOENT or ENOTDIR (absent). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    // Anything else (EACCES...) is left to diskEntry, which reports it as it always did.
    return true;
  }
}

function diskEntry(out: string, path: string): DiskEntry {
  const full = join(out, path);
  try {
    const stat = lstatSync(full);
    return stat.isFile() ? { kind: 'file', sha256: sha256(readFileSync(full)) } : { kind: 'other' };
  } catch (error) {
    // ENOTDIR: a parent is a file, so nothing can be at this path; the write will report it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    throw error;
  }
}

/**
 * The backup folder a crashed swap left (see swap-files.ts), if any: inside `outDir`, or beside
 * it, where earlier versions kept it.
 */
function interruptedRun(outDir: string): string | undefined {
  const out = resolve(outDir);
  const inside = backupIn(out, BACKUP_PREFIX);
  return inside ?? backupIn(dirname(out), `${basename(out)}.openapi-to-mcp-backup-`);
}

function backupIn(dir: string, prefix: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const found = names.filter((name) => name.startsWith(prefix)).sort()[0];
  return found === undefined ? undefined : join(dir, found);
}
