import type { AuthorizationDefinition } from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';
import type { SecuritySchemeModel, ToolModel } from './types.js';

/** The security lint's codes: warnings by default, errors under `--strict`. */
const LINT_CODES = new Set([
  'LINT_TOOL_WITHOUT_SCOPE',
  'LINT_PUBLIC_WRITE',
  'LINT_SCOPE_UNDECLARED',
  'LINT_SCOPE_UNUSED',
  'LINT_ROLES_WITHOUT_CLAIM',
  'SECURITY_SCHEME_UNSUPPORTED',
]);

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LISTED = 5;

/**
 * What a security reviewer would flag before this API reaches agents
 * (DESIGN.md §5): tools any authenticated caller may call, writes the spec
 * made public, scopes that are used but not declared (a typo the
 * authorization server will silently drop) or declared but never used, and
 * tools guarded by roles while no roles claim is configured (no token then
 * carries a role, so no OAuth caller can reach them).
 */
export function lintSecurity(
  tools: readonly ToolModel[],
  schemes: readonly SecuritySchemeModel[],
  authorization: Pick<AuthorizationDefinition, 'rolesClaim'> = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];

  const guarded = tools.filter((t) => (t.access.roles?.length ?? 0) > 0);
  if (guarded.length > 0 && !authorization.rolesClaim) {
    out.push({
      code: 'LINT_ROLES_WITHOUT_CLAIM',
      severity: 'warning',
      message: `${count(guarded.length, 'tool')} ${guarded.length === 1 ? 'requires' : 'require'} a role (${names(guarded)}) but no roles claim is configured: over OAuth no caller can use them unless OAUTH_ROLES_CLAIM is set when the server runs.`,
      pointer: guarded[0]?.source ?? '/paths',
      hint: 'Set authorization.rolesClaim in the config (e.g. roles, realm_access.roles, groups, or a preset such as keycloak or entra), or OAUTH_ROLES_CLAIM at run time; API keys carry their roles themselves.',
    });
  }

  const open = tools.filter(
    (t) => t.access.scopes.some((a) => a.length === 0) && !(t.access.roles && t.access.roles.length > 0),
  );
  if (open.length > 0) {
    out.push({
      code: 'LINT_TOOL_WITHOUT_SCOPE',
      severity: 'warning',
      message: `${count(open.length, 'tool')} can be called by any authenticated caller, with no scope or role: ${names(open)}.`,
      pointer: open[0]?.source ?? '/paths',
      hint: 'Give scope-less operations a scope in the spec, a default scope (config scopes.default), or roles (config roles / x-mcp-roles).',
    });
  }

  for (const tool of tools) {
    if (tool.securitySource === 'operation' && tool.security.length === 0 && WRITES.has(tool.http.method)) {
      out.push({
        code: 'LINT_PUBLIC_WRITE',
        severity: 'warning',
        message: `${tool.name} (${tool.http.method} ${tool.http.path}) changes data but its operation says security: [] (public).`,
        pointer: `${tool.source}/security`,
        hint: 'Remove `security: []` to inherit the document default, or name the scopes this write needs.',
      });
    }
  }

  const byName = new Map(schemes.map((s) => [s.name, s]));
  const used = new Map<string, Map<string, string>>();
  for (const tool of tools) {
    for (const alternative of tool.security) {
      for (const requirement of alternative) {
        const perScheme = used.get(requirement.scheme) ?? new Map<string, string>();
        for (const scope of requirement.scopes) if (!perScheme.has(scope)) perScheme.set(scope, tool.source);
        used.set(requirement.scheme, perScheme);
      }
    }
  }
  for (const scheme of [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // Only oauth2 declares its scopes; openIdConnect's live in the provider's metadata, 3.1 roles nowhere.
    if (scheme.type !== 'oauth2') continue;
    const declared = new Set(scheme.scopes);
    const usedHere = used.get(scheme.name) ?? new Map<string, string>();
    for (const [scope, where] of [...usedHere].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (declared.has(scope)) continue;
      out.push({
        code: 'LINT_SCOPE_UNDECLARED',
        severity: 'warning',
        message: `Scope "${scope}" of scheme "${scheme.name}" is required by ${where} but not declared in the scheme's flows; an authorization server will not grant it.`,
        pointer: where,
        hint: `Declare "${scope}" under ${scheme.source}/flows/*/scopes, or fix its spelling.`,
      });
    }
    const unused = [...declared].filter((s) => !usedHere.has(s)).sort();
    if (unused.length > 0) {
      out.push({
        code: 'LINT_SCOPE_UNUSED',
        severity: 'warning',
        message: `Scheme "${scheme.name}" declares ${count(unused.length, 'scope')} no tool needs: ${unused.slice(0, LISTED).join(', ')}${unused.length > LISTED ? ', …' : ''}.`,
        pointer: scheme.source,
        hint: 'Harmless, but a scope no operation uses is often a requirement someone forgot to write.',
      });
    }
  }
  return out;
}

/** `--strict`: every lint finding is an error, so CI fails on it. */
export function strictLint(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (LINT_CODES.has(d.code) && d.severity !== 'error' ? { ...d, severity: 'error' } : d));
}

function names(tools: readonly ToolModel[]): string {
  const shown = tools
    .slice(0, LISTED)
    .map((t) => t.name)
    .join(', ');
  return tools.length > LISTED ? `${shown} and ${tools.length - LISTED} more` : shown;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
