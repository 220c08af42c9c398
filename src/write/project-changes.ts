import type { Diagnostic } from '../diagnostics.js';
import type { Lock } from './lock-file.js';
import type { KeptFile, Reconciled } from './reconcile.js';

/** What a regeneration changes (or changed), as `--check`, `--dry-run` and `generate` report it. */
export interface ProjectChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** The user's files the generator would have changed or deleted; they never make a project stale. */
  readonly kept: readonly KeptFile[];
  /** Generator-owned files edited by hand since the last run, which regenerating replaces (also in `changed`). */
  readonly overwritten: readonly string[];
  readonly tools: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly string[];
  };
}

const TOOL_FILE = /^src\/generated\/tools\/(.+)\.gen\.ts$/;

/** Tool names come from the tool files' paths in the old and the new lock. */
export function projectChanges(reconciled: Reconciled, previous: Lock | undefined): ProjectChanges {
  const toolOf = (path: string) => TOOL_FILE.exec(path)?.[1];
  const names = (paths: Iterable<string>) =>
    new Set([...paths].map(toolOf).filter((n): n is string => n !== undefined));
  const before = names(Object.keys(previous?.files ?? {}));
  const after = names(Object.keys(reconciled.lock.files));
  const changed = reconciled.writes.filter((w) => w.replaces).map((w) => w.path);
  const added = reconciled.writes.filter((w) => !w.replaces).map((w) => w.path);
  return {
    added,
    changed,
    removed: [...reconciled.removes],
    kept: reconciled.kept,
    overwritten: reconciled.overwritten,
    tools: {
      added: [...after].filter((n) => !before.has(n)).sort(),
      removed: [...before].filter((n) => !after.has(n)).sort(),
      // A tool that stays but whose file is rewritten (or restored) changed.
      changed: [...names([...changed, ...added])].filter((n) => before.has(n) && after.has(n)).sort(),
    },
  };
}

/** Stale: regenerating would add, change or remove a file (the lock file included). Kept user files do not count. */
export function isStale(changes: ProjectChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length > 0;
}

/**
 * The warnings a run owes the user about their edits: generator files whose edits are (or, for
 * `--check` and `--dry-run`, would be) overwritten, then the files kept as theirs.
 */
export function editDiagnostics(changes: ProjectChanges, applied: boolean): Diagnostic[] {
  return [...overwrittenDiagnostics(changes.overwritten, applied), ...keptDiagnostics(changes.kept)];
}

/**
 * One warning per generator-owned file whose edit is replaced: the generator owns it, so it wins,
 * but not silently. The hint names the places an edit survives ("Keeping your changes" in the
 * generated README) and the keep list (keep-file.ts).
 */
export function overwrittenDiagnostics(paths: readonly string[], applied: boolean): Diagnostic[] {
  return paths.map((path): Diagnostic => ({
    code: 'EDITED_FILE_OVERWRITTEN',
    severity: 'warning',
    file: path,
    message: applied
      ? `replaced your edited ${path} with the generator's version: the generator owns it`
      : `${path} was edited since openapi-to-mcp wrote it; regenerating replaces it with the generator's version`,
    hint: `Make changes where regenerating keeps them (src/policy.ts, src/server.ts, src/index.ts, files of your own), or list ${path} in .openapi-to-mcp-keep to keep your edited copy.`,
  }));
}

/** One warning per kept file, so the user learns that their edit hides the generator's newer version. */
export function keptDiagnostics(kept: readonly KeptFile[]): Diagnostic[] {
  return kept.map(({ path, reason }): Diagnostic => {
    switch (reason) {
      case 'edited':
        return {
          code: 'EDITED_FILE_KEPT',
          severity: 'warning',
          file: path,
          message: `kept your edited ${path}; the generator's version would change it`,
          hint: `Delete ${path} and regenerate with --force to take the generator's version, or keep yours.`,
        };
      case 'unlocked':
        return {
          code: 'EDITED_FILE_KEPT',
          severity: 'warning',
          file: path,
          message: `kept your ${path}, which openapi-to-mcp did not write; the generator's version would change it`,
          hint: `Delete ${path} and regenerate with --force to take the generator's version, or keep yours.`,
        };
      case 'listed':
        return {
          code: 'EDITED_FILE_KEPT',
          severity: 'warning',
          file: path,
          message: `kept your edited ${path}, as .openapi-to-mcp-keep asks; the generator's version would change it`,
          hint: `Compare it with the generator's version; to take that, remove ${path} from .openapi-to-mcp-keep and regenerate.`,
        };
      case 'deleted':
        return {
          code: 'SCAFFOLD_FILE_DELETED',
          severity: 'info',
          file: path,
          message: `${path} stays deleted (or moved) as you left it; it does not make the project stale`,
          hint: `Regenerate with --force to bring the generator's ${path} back.`,
        };
      case 'edited-obsolete':
        return {
          code: 'EDITED_FILE_KEPT',
          severity: 'warning',
          file: path,
          message: `kept your edited ${path}; the generator no longer produces it`,
          hint: `Delete ${path} if you no longer need it.`,
        };
    }
  });
}
