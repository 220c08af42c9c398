import type { Diagnostic } from '../diagnostics.js';

/**
 * Keeps the first `limit` diagnostics and replaces the rest with one summary of
 * the same code and severity, so a broken spec does not print thousands of lines.
 */
export function capDiagnostics(diagnostics: readonly Diagnostic[], limit: number): Diagnostic[] {
  if (diagnostics.length <= limit) return [...diagnostics];
  const kept = diagnostics.slice(0, limit);
  const last = diagnostics[limit]!;
  const rest = diagnostics.length - limit;
  kept.push({
    code: last.code,
    severity: last.severity,
    message: `... and ${rest} more ${last.code} problem${rest === 1 ? '' : 's'} not shown.`,
    ...(last.file ? { file: last.file } : {}),
  });
  return kept;
}
