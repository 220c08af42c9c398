import type { ProjectChanges } from '../write/project-changes.js';
import { isStale } from '../write/project-changes.js';

const LISTED = 20;

/**
 * The `--check` / `--dry-run` summary: one line for files and one for tools, then the paths
 * (`+` added, `~` changed, `-` removed), at most 20 of them.
 */
export function formatChanges(out: string, changes: ProjectChanges, mode: 'check' | 'dry-run'): string {
  if (!isStale(changes)) return `${out} is up to date${changes.kept.length > 0 ? ` (${keptLine(changes)})` : ''}`;
  const { tools } = changes;
  const head =
    mode === 'check' ? `${out} is stale: regenerating would change it` : `regenerating ${out} would change it`;
  const lines = [
    head,
    `  files: ${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed`,
    `  tools: ${countAndNames(tools.added, 'added')}, ${countAndNames(tools.removed, 'removed')}, ${countAndNames(tools.changed, 'changed')}`,
  ];
  const paths = [
    ...changes.added.map((p) => `  + ${p}`),
    ...changes.changed.map((p) => `  ~ ${p}`),
    ...changes.removed.map((p) => `  - ${p}`),
  ];
  lines.push(...paths.slice(0, LISTED));
  if (paths.length > LISTED) lines.push(`  ... and ${paths.length - LISTED} more (--json lists all)`);
  if (changes.kept.length > 0) lines.push(`  ${keptLine(changes)}`);
  return lines.join('\n');
}

function countAndNames(names: readonly string[], what: string): string {
  if (names.length === 0) return `0 ${what}`;
  const shown = names.slice(0, 5).join(', ');
  return `${names.length} ${what} (${shown}${names.length > 5 ? ', ...' : ''})`;
}

function keptLine(changes: ProjectChanges): string {
  return `your edits kept: ${changes.kept.map((k) => k.path).join(', ')}`;
}
