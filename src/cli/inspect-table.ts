import type { McpModel } from '../model/types.js';

/** The plan as rows: what each tool is, what it calls, what authorization it needs. */
export function inspectRows(
  model: McpModel,
): { tool: string; method: string; path: string; security: string; scopes: string; roles: string }[] {
  return model.tools.map((t) => ({
    tool: t.name,
    method: t.http.method,
    path: t.http.path,
    security:
      t.security.length === 0
        ? 'public'
        : t.security
            .map((and) =>
              and.map((r) => (r.scopes.length ? `${r.scheme}(${r.scopes.join(' ')})` : r.scheme)).join(' + '),
            )
            .join(' | '),
    // What an MCP caller's token needs (after the config's scope mapping): OR of AND.
    scopes: t.access.scopes.some((a) => a.length === 0) ? '-' : t.access.scopes.map((a) => a.join(' ')).join(' | '),
    roles: t.access.roles?.join(' | ') ?? '-',
  }));
}

/**
 * Aligned columns. With `maxWidth` (a terminal's), every line fits it: the widest columns give way
 * first, never below their heading or 8 characters, and a cut cell ends in "…". Without it every
 * cell is whole (piped output, scripts; `--json` has everything too).
 */
export function formatTable(rows: readonly Record<string, string>[], maxWidth?: number): string {
  if (rows.length === 0) return '(no tools)';
  const columns = Object.keys(rows[0] as object);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  if (maxWidth !== undefined && maxWidth > 0) fit(widths, columns, maxWidth);
  const cell = (text: string, width: number) =>
    text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
  const line = (cells: readonly string[]) =>
    cells
      .map((text, i) => cell(text, widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join(
    '\n',
  );
}

/** Narrows the widest column one character at a time until the row (with two-space gaps) fits. */
function fit(widths: number[], columns: readonly string[], maxWidth: number): void {
  const floor = columns.map((c) => Math.max(c.length, 8));
  const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > (floor[i] as number) && (widest < 0 || w > (widths[widest] as number))) widest = i;
    });
    if (widest < 0) return; // every column is at its floor: the terminal is too narrow to fit more
    widths[widest] = (widths[widest] as number) - 1;
  }
}
