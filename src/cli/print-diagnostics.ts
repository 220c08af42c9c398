import type { Diagnostic } from '../diagnostics.js';

export interface PrintOptions {
  readonly color: boolean;
  /** Info diagnostics are shown only when asked for. */
  readonly verbose: boolean;
}

/**
 * Colours only on a TTY and never with NO_COLOR: "when present and not an
 * empty string (regardless of its value), prevents the addition of ANSI color".
 * @see https://no-color.org
 */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

const PAINT = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', dim: '\u001b[2m', reset: '\u001b[0m' };

/** `file:line:column pointer  severity CODE  message` and an indented hint: one problem, one place, one fix. */
function formatDiagnostic(d: Diagnostic, options: PrintOptions): string {
  const paint = (kind: keyof typeof PAINT, text: string) =>
    options.color ? `${PAINT[kind]}${text}${PAINT.reset}` : text;
  const where = [d.file, d.line, d.line !== undefined ? d.column : undefined].filter((x) => x !== undefined).join(':');
  const place = [where, d.pointer ? `#${d.pointer}` : ''].filter(Boolean).join(' ');
  const head = `${paint(d.severity, `${d.severity} ${d.code}`)}${place ? ` ${paint('dim', place)}` : ''}`;
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${head}\n  ${d.message}${hint}`;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: PrintOptions): string {
  const shown = diagnostics.filter((d) => options.verbose || d.severity !== 'info');
  const hidden = diagnostics.length - shown.length;
  const lines = shown.map((d) => formatDiagnostic(d, options));
  const counts = (['error', 'warning', 'info'] as const)
    .map((s) => [s, diagnostics.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
  if (counts.length > 0)
    lines.push(`${counts.join(', ')}${hidden > 0 ? ` (${hidden} info hidden; --verbose shows them)` : ''}`);
  return lines.join('\n');
}
