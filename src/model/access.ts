import type { AuthorizationDefinition, SecurityRequirement, ToolAccess } from '../../templates/runtime/mcp/types.js';
import type { GeneratorConfig, ScopeMapping } from '../config/types.js';

/**
 * The MCP scopes a tool needs, from its operation's `security` (DESIGN.md §5):
 * per alternative, the union of the names its schemes list, mapped by
 * `scopes.rename` then `scopes.prefix`. For oauth2/openIdConnect those are
 * scopes; OpenAPI 3.1 §4.8.30 lets other schemes list "role names which are
 * required", which an MCP caller can only prove through its token, so they
 * are required the same way. An alternative listing nothing (apiKey, http,
 * or public `[]`) needs `scopes.default` when set, else nothing. If any
 * alternative needs nothing, the tool needs nothing: OR means the cheapest wins.
 */
export function scopesOf(security: readonly SecurityRequirement[], mapping: ScopeMapping = {}): string[][] {
  const alternatives = security.length === 0 ? [[]] : security;
  const mapped = alternatives.map((alternative) => {
    const scopes = new Set<string>();
    for (const requirement of alternative) {
      for (const scope of requirement.scopes) scopes.add(mapScope(scope, mapping));
    }
    if (scopes.size === 0 && mapping.default) scopes.add(mapping.default);
    return [...scopes].sort();
  });
  return minimalAlternatives(mapped);
}

export function mapScope(scope: string, mapping: ScopeMapping): string {
  const renamed = mapping.rename && Object.hasOwn(mapping.rename, scope) ? (mapping.rename[scope] as string) : scope;
  return `${mapping.prefix ?? ''}${renamed}`;
}

/** Sorted, de-duplicated alternatives (each sorted too), dropping any that is a superset of another (it can never be cheaper). */
export function normalizeAlternatives(alternatives: readonly (readonly string[])[]): string[][] {
  return minimalAlternatives(alternatives.map((a) => [...new Set(a)].sort()));
}

function minimalAlternatives(alternatives: string[][]): string[][] {
  const unique = [...new Map(alternatives.map((a) => [a.join(' '), a])).values()];
  const minimal = unique.filter(
    (a) => !unique.some((b) => b !== a && b.length < a.length && b.every((s) => a.includes(s))),
  );
  return minimal.sort(
    (a, b) => a.length - b.length || (a.join(' ') < b.join(' ') ? -1 : a.join(' ') > b.join(' ') ? 1 : 0),
  );
}

export function accessOf(scopes: string[][], roles: readonly string[]): ToolAccess {
  const sortedRoles = [...new Set(roles)].sort();
  return { scopes, ...(sortedRoles.length > 0 ? { roles: sortedRoles } : {}) };
}

/** Server-wide authorization data: the scopes tools need and the closed scope hierarchy. */
export function authorizationOf(
  tools: readonly { access: ToolAccess }[],
  config: GeneratorConfig = {},
): AuthorizationDefinition {
  const scopesSupported = [...new Set(tools.flatMap((t) => t.access.scopes.flat()))]
    // RFC 9728 / MCP 2026-07-28: offline_access is the authorization server's business, never a resource's scope.
    .filter((s) => s !== 'offline_access')
    .sort();
  return {
    scopesSupported,
    scopeImplies: closeHierarchy(config.scopes?.implies ?? {}),
    ...(config.authorization?.rolesClaim ? { rolesClaim: config.authorization.rolesClaim } : {}),
    toolsList: config.authorization?.toolsList ?? 'filter',
  };
}

/** Transitive closure of `implies`, keys and lists sorted, self-references dropped. */
export function closeHierarchy(implies: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const closed: Record<string, string[]> = {};
  for (const scope of Object.keys(implies).sort()) {
    const seen = new Set<string>();
    const stack = [...(implies[scope] ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === scope || seen.has(next)) continue;
      seen.add(next);
      if (Object.hasOwn(implies, next)) stack.push(...(implies[next] ?? []));
    }
    if (seen.size > 0) closed[scope] = [...seen].sort();
  }
  return closed;
}
