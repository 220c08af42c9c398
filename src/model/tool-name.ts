import { createHash } from 'node:crypto';

/** MCP 2025-11-25 "Tool names": 1-64 characters of `[A-Za-z0-9_.-]`. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;
const MAX = 64;

export interface NameCandidate {
  /** Stable identity of the operation: `METHOD /path`. */
  readonly key: string;
  readonly operationId?: string;
  /** An explicit name (config or `x-mcp-name`), used as written when valid. */
  readonly preferred?: string;
}

export interface NamedTool {
  readonly key: string;
  readonly name: string;
  /** Why the name differs from the operationId / preferred name, when it does. */
  readonly adjusted?: string;
}

/**
 * Names every operation, independently of their order. An operation whose
 * explicit name (or else operationId) is already a valid name, wanted by no
 * other operation of the same rank, owns it: adding operations never renames
 * it, and an explicit name beats an operationId. Any other name that collides carries a
 * short hash of its own `METHOD /path`, so it changes only when a collision
 * appears or goes away.
 */
export function nameTools(candidates: readonly NameCandidate[]): NamedTool[] {
  const drafts = candidates.map((c) => {
    const wanted = c.preferred ?? c.operationId;
    const base = wanted !== undefined && wanted !== '' ? sanitize(wanted) : fromMethodAndPath(c.key);
    const exact = wanted !== undefined && base === wanted && TOOL_NAME_PATTERN.test(wanted);
    // An explicit name (config, x-mcp-name) outranks an operationId, which outranks a derived name.
    const rank = !exact ? 0 : c.preferred !== undefined ? 2 : 1;
    return { c, wanted, base: fit(base, c.key), rank };
  });
  const top = new Map<string, { rank: number; count: number }>();
  for (const d of drafts) {
    const seen = top.get(d.base);
    if (!seen || d.rank > seen.rank) top.set(d.base, { rank: d.rank, count: 1 });
    else if (d.rank === seen.rank) seen.count++;
  }
  const counts = new Map<string, number>();
  for (const d of drafts) counts.set(d.base, (counts.get(d.base) ?? 0) + 1);

  const named = drafts.map((d): NamedTool => {
    const collides = (counts.get(d.base) ?? 0) > 1;
    const owner = top.get(d.base);
    const ownsIt = d.rank > 0 && owner?.rank === d.rank && owner.count === 1;
    const name = collides && !ownsIt ? withSuffix(d.base, d.c.key) : d.base;
    // A name derived from method + path is reported too when it had to change (DESIGN §3).
    const label = d.wanted ?? fromMethodAndPath(d.c.key);
    const adjusted =
      name === label
        ? undefined
        : collides && !ownsIt
          ? `"${label}" is used by another operation`
          : label.length > MAX
            ? `"${label}" is longer than ${MAX} characters`
            : `"${label}" is not a valid MCP tool name`;
    return adjusted ? { key: d.c.key, name, adjusted } : { key: d.c.key, name };
  });
  // Two suffixed names can still meet only on a hash collision; make the result unique anyway.
  const seen = new Set<string>();
  return named.map((t) => {
    let name = t.name;
    for (let i = 2; seen.has(name); i++) name = withSuffix(t.name, `${t.key}#${i}`);
    seen.add(name);
    return name === t.name ? t : { ...t, name, adjusted: t.adjusted ?? 'name collision' };
  });
}

function sanitize(raw: string): string {
  const cleaned = raw
    .normalize('NFKD')
    // NFKD splits `é` into `e` + a combining accent; drop the accent, keep the letter.
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'tool' : cleaned;
}

/** `GET /pets/{id}/toys` -> `get_pets_id_toys`. */
function fromMethodAndPath(key: string): string {
  const [method = '', path = ''] = key.split(' ');
  return sanitize(`${method.toLowerCase()}_${path.replace(/[{}]/g, '')}`);
}

function hash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 6);
}

function fit(name: string, key: string): string {
  return name.length <= MAX ? name : `${name.slice(0, MAX - 7)}_${hash(key)}`;
}

function withSuffix(name: string, key: string): string {
  return `${name.slice(0, MAX - 7)}_${hash(key)}`;
}
