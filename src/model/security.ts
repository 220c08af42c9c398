import type { SecurityRequirement, SecuritySchemeDefinition } from '../../templates/runtime/mcp/types.js';
import { credentialPrefix, schemeEnvName } from '../../templates/runtime/http/upstream-credentials.js';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import { isObject } from './json-schema.js';
import { resolveObject } from './refs.js';
import type { SecuritySchemeModel } from './types.js';

/**
 * Security requirements stay OR-of-AND exactly as OpenAPI states them
 * (OpenAPI 3.1 §4.8.30): `security: []` (or an empty object among the
 * alternatives) means the operation is public; an absent `security` means
 * the document default. An alternative naming an undeclared scheme is
 * dropped, unless none would be left: then they are all kept (and cannot be
 * satisfied), since dropping them would make the operation public.
 */
export function securityOf(
  operation: Record<string, unknown>,
  operationPointer: string,
  document: Record<string, unknown>,
  schemes: ReadonlyMap<string, SecuritySchemeModel>,
  diagnostics: Diagnostic[],
): { security: SecurityRequirement[]; source: 'operation' | 'document' | 'none' } {
  const own = Array.isArray(operation.security);
  const raw = own ? operation.security : document.security;
  const at = own ? `${operationPointer}/security` : '/security';
  if (!Array.isArray(raw)) return { security: [], source: 'none' };
  const alternatives: SecurityRequirement[] = [];
  const unknown: { requirement: SecurityRequirement; scheme: string; at: string }[] = [];
  raw.forEach((requirement, i) => {
    if (!isObject(requirement)) return;
    const and = Object.entries(requirement).map(([scheme, scopes]) => ({
      scheme,
      scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [],
    }));
    const missing = and.find((r) => !schemes.has(r.scheme));
    if (missing) unknown.push({ requirement: and, scheme: missing.scheme, at: `${at}/${i}` });
    else alternatives.push(and);
  });
  // Dropping every alternative would leave `[]`, which means public: keep them instead, so calls fail closed.
  const keepUnknown = alternatives.length === 0 && unknown.length > 0;
  for (const u of unknown) {
    // A document default is shared by many operations: report it once.
    if (diagnostics.some((d) => d.code === 'SECURITY_SCHEME_UNKNOWN' && d.pointer === u.at)) continue;
    diagnostics.push({
      code: 'SECURITY_SCHEME_UNKNOWN',
      severity: 'warning',
      message: keepUnknown
        ? `Security requirement names "${u.scheme}", which is not in components.securitySchemes; no other alternative is left, so it is kept and calls fail until the scheme is declared.`
        : `Security requirement names "${u.scheme}", which is not in components.securitySchemes; that alternative is dropped.`,
      pointer: u.at,
      hint: 'Declare the scheme under components.securitySchemes or fix the name.',
    });
  }
  const source = own ? 'operation' : 'document';
  if (keepUnknown) return { security: unknown.map((u) => u.requirement), source };
  // An empty alternative makes authentication optional: the operation is public.
  if (alternatives.some((a) => a.length === 0)) return { security: [], source };
  return { security: alternatives, source };
}

/** `components.securitySchemes` with the environment variables the server reads upstream credentials from. */
export function collectSchemes(
  document: Record<string, unknown>,
  diagnostics: Diagnostic[],
): Map<string, SecuritySchemeModel> {
  const components = isObject(document.components) ? document.components : {};
  const declared = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const schemes = new Map<string, SecuritySchemeModel>();
  for (const name of Object.keys(declared).sort()) {
    const source = pointer('components', 'securitySchemes', name);
    const resolved = resolveObject(document, declared[name], source);
    if (!resolved) continue;
    const model = toSchemeModel(name, source, resolved.value);
    if (!model.upstream) {
      diagnostics.push({
        code: 'SECURITY_SCHEME_UNSUPPORTED',
        severity: 'warning',
        message: `Security scheme "${name}" (${describeScheme(resolved.value)}) cannot be satisfied with credentials from the environment; operations that need only it are called without credentials.`,
        pointer: source,
      });
    }
    schemes.set(name, model);
  }
  return schemes;
}

function toSchemeModel(name: string, source: string, scheme: Record<string, unknown>): SecuritySchemeModel {
  // The runtime owns the naming rule: it reads these variables.
  const env = credentialPrefix(name);
  const type = typeof scheme.type === 'string' ? scheme.type : 'unknown';
  const scopes = oauthScopes(scheme);
  const base = { name, source, type, scopes };
  if (
    type === 'apiKey' &&
    typeof scheme.name === 'string' &&
    ['header', 'query', 'cookie'].includes(String(scheme.in))
  ) {
    return {
      ...base,
      upstream: { type: 'apiKey', in: scheme.in as 'header' | 'query' | 'cookie', name: scheme.name, env },
    };
  }
  if (
    type === 'http' &&
    typeof scheme.scheme === 'string' &&
    ['bearer', 'basic'].includes(scheme.scheme.toLowerCase())
  ) {
    return { ...base, upstream: { type: 'http', scheme: scheme.scheme.toLowerCase(), env } };
  }
  if (type === 'oauth2') {
    const flows = isObject(scheme.flows) ? scheme.flows : {};
    const cc = isObject(flows.clientCredentials) ? flows.clientCredentials : undefined;
    const upstream: SecuritySchemeDefinition = {
      type: 'oauth2',
      scopes,
      env,
      ...(cc && typeof cc.tokenUrl === 'string' ? { tokenUrl: cc.tokenUrl } : {}),
    };
    return { ...base, upstream };
  }
  if (type === 'openIdConnect' && typeof scheme.openIdConnectUrl === 'string') {
    return { ...base, upstream: { type: 'openIdConnect', openIdConnectUrl: scheme.openIdConnectUrl, env } };
  }
  return base;
}

function oauthScopes(scheme: Record<string, unknown>): string[] {
  if (!isObject(scheme.flows)) return [];
  const scopes = new Set<string>();
  for (const flow of Object.values(scheme.flows)) {
    if (isObject(flow) && isObject(flow.scopes)) for (const s of Object.keys(flow.scopes)) scopes.add(s);
  }
  return [...scopes].sort();
}

function describeScheme(scheme: Record<string, unknown>): string {
  return [scheme.type, scheme.scheme ?? scheme.in].filter((x) => typeof x === 'string').join(' ');
}

/** `petstore_auth` -> `PETSTORE_AUTH`, `bearerAuth` -> `BEARER_AUTH` (the rule is the runtime's). */
export const envName = schemeEnvName;
