import type { McpModel } from '../model/types.js';

/** The plan as rows: what each tool is, what it calls, what authorization it needs. */
export function inspectRows(model: McpModel): { tool: string; method: string; path: string; security: string; scopes: string; roles: string }[] {
  return model.tools.map((t) => ({
    tool: t.name,
    method: t.http.method,
    path: t.http.path,
    security:
      t.security.length === 0
        ? 'public'
        : t.security.map((and) => and.map((r) => (r.scopes.length ? `${r.scheme}(${r.scopes.join(' ')})` : r.scheme)).join(' + ')).join(' | '),
    // What an MCP caller's token needs (after the config's scope mapping): OR of AND.
    scopes: t.access.scopes.some((a) => a.length === 0) ? '-' : t.access.scopes.map((a) => a.join(' ')).join(' | '),
    roles: t.access.roles?.join(' | ') ?? '-',
  }));
}

export function formatTable(rows: readonly Record<string, string>[]): string {
  if (rows.length === 0) return '(no tools)';
  const columns = Object.keys(rows[0] as object);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n');
}
