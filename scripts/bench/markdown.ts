/** A markdown table; the first `textColumns` columns left-aligned, the others right-aligned (figures). */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[], textColumns = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (i < textColumns ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < textColumns ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Figures: `-` for a missing one; thousands separated. */
export function fixed(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return digits === 0 ? integer.format(value) : value.toFixed(digits);
}

export function megabytes(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? '-' : integer.format(bytes / 2 ** 20);
}

/** `ours / theirs` as `1.23x`; `-` when either is missing. */
export function ratio(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0)
    return '-';
  return `${(ours / theirs).toFixed(2)}x`;
}

/** `ours` as a share of `theirs`, `12.3%`; `-` when either is missing. */
export function percent(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0)
    return '-';
  return `${((ours / theirs) * 100).toFixed(1)}%`;
}
