import type { ToolAccess } from '../mcp/types.js';

/** Granted scopes plus everything they imply through the (already closed) hierarchy. */
export function expandScopes(
  granted: Iterable<string>,
  implies: Readonly<Record<string, readonly string[]>>,
): Set<string> {
  const out = new Set<string>();
  for (const scope of granted) {
    out.add(scope);
    if (Object.hasOwn(implies, scope)) for (const implied of implies[scope] ?? []) out.add(implied);
  }
  return out;
}

export type ScopeCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly required: readonly string[]; readonly missing: readonly string[] };

/**
 * Does the caller hold every scope of at least one alternative (OR of AND)?
 * When not, name the alternative cheapest for this caller: the one missing
 * the fewest scopes (then the smallest, then the first). `required` is that
 * alternative in full: MCP authorization 2026-07-28 asks one challenge to
 * name all scopes the operation needs, so the client requests them together
 * rather than discovering them one 403 at a time.
 */
export function checkScopes(access: ToolAccess, have: ReadonlySet<string>): ScopeCheck {
  let best: { required: readonly string[]; missing: string[] } | undefined;
  for (const alternative of access.scopes) {
    const missing = alternative.filter((s) => !have.has(s));
    if (missing.length === 0) return { ok: true };
    if (
      best === undefined ||
      missing.length < best.missing.length ||
      (missing.length === best.missing.length && alternative.length < best.required.length)
    ) {
      best = { required: alternative, missing };
    }
  }
  // `access.scopes` is never empty (the generator writes `[[]]` for "no scope needed"); an empty list fails closed.
  return best
    ? { ok: false, required: best.required, missing: best.missing }
    : { ok: false, required: [], missing: [] };
}

/**
 * Whether the caller holds every scope of at least one alternative: the
 * question `checkScopes` answers first, asked without allocating (an allowed
 * call is the common case on every request). An empty list fails closed.
 */
export function satisfiesScopes(access: ToolAccess, have: ReadonlySet<string>): boolean {
  const alternatives = access.scopes;
  for (let i = 0; i < alternatives.length; i++) {
    const alternative = alternatives[i]!;
    let held = true;
    for (let j = 0; j < alternative.length; j++) {
      if (!have.has(alternative[j]!)) {
        held = false;
        break;
      }
    }
    if (held) return true;
  }
  return false;
}
