import type { SecurityRequirement, SecuritySchemeDefinition } from '../../templates/runtime/mcp/types.js';
import { ENV_VARS } from '../../templates/runtime/config/env-table.js';
import { isCredentialHeaderAllowed } from '../../templates/runtime/http/framing-headers.js';
import {
  credentialPrefix,
  credentialVariables,
  schemeEnvName,
} from '../../templates/runtime/http/upstream-credentials.js';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import { isObject } from './json-schema.js';
import { resolveObject } from './refs.js';
import type { Reported } from './reported.js';
import { reported } from './reported.js';
import type { SecuritySchemeModel } from './types.js';

/** Where a tool's security requirements come from. */
export interface ToolSecurity {
  readonly security: SecurityRequirement[];
  readonly source: 'operation' | 'document' | 'none';
}

/** What securityOf needs besides the operation: the declared schemes and the document default, read once. */
export interface SecurityContext {
  readonly schemes: ReadonlyMap<string, SecuritySchemeModel>;
  /** `documentSecurity(...)`'s value; absent when the document has no `security`. */
  readonly documentSecurity?: readonly SecurityRequirement[];
}

/**
 * An operation's security: its own `security`, else the document default (OpenAPI 3.1
 * §4.8.10.1). The default is read once per document (documentSecurity), so a problem in it is
 * reported once, not once per operation that inherits it.
 */
export function securityOf(
  operation: Record<string, unknown>,
  operationPointer: string,
  ctx: SecurityContext,
): Reported<ToolSecurity> {
  if (Array.isArray(operation.security)) {
    const own = requirementsAt(operation.security, `${operationPointer}/security`, ctx.schemes);
    return reported({ security: own.value, source: 'operation' }, own.diagnostics);
  }
  if (ctx.documentSecurity) {
    // A copy per tool, as when each tool read the default itself: no two tools share arrays.
    const security = ctx.documentSecurity.map((and) => and.map((r) => ({ scheme: r.scheme, scopes: [...r.scopes] })));
    return reported({ security, source: 'document' });
  }
  return reported({ security: [], source: 'none' });
}

/** The document's default `security` (root level), or undefined when it states none. */
export function documentSecurity(
  document: Record<string, unknown>,
  schemes: ReadonlyMap<string, SecuritySchemeModel>,
): Reported<SecurityRequirement[]> | undefined {
  return Array.isArray(document.security) ? requirementsAt(document.security, '/security', schemes) : undefined;
}

/**
 * Security requirements stay OR-of-AND exactly as OpenAPI states them
 * (OpenAPI 3.1 §4.8.30): `security: []` (or an empty object among the
 * alternatives) means public. An alternative naming an undeclared scheme is
 * dropped, unless none would be left: then they are all kept (and cannot be
 * satisfied), since dropping them would make the operation public.
 */
function requirementsAt(
  raw: readonly unknown[],
  at: string,
  schemes: ReadonlyMap<string, SecuritySchemeModel>,
): Reported<SecurityRequirement[]> {
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
  const diagnostics = unknown.map((u): Diagnostic => ({
    code: 'SECURITY_SCHEME_UNKNOWN',
    severity: 'warning',
    message: keepUnknown
      ? `Security requirement names "${u.scheme}", which is not in components.securitySchemes; no other alternative is left, so it is kept and calls fail until the scheme is declared.`
      : `Security requirement names "${u.scheme}", which is not in components.securitySchemes; that alternative is dropped.`,
    pointer: u.at,
    hint: 'Declare the scheme under components.securitySchemes or fix the name.',
  }));
  if (keepUnknown)
    return reported(
      unknown.map((u) => u.requirement),
      diagnostics,
    );
  // An empty alternative makes authentication optional: the operation is public.
  if (alternatives.some((a) => a.length === 0)) return reported([], diagnostics);
  return reported(alternatives, diagnostics);
}

/** `components.securitySchemes` with the environment variables the server reads upstream credentials from. */
export function collectSchemes(document: Record<string, unknown>): Reported<Map<string, SecuritySchemeModel>> {
  const diagnostics: Diagnostic[] = [];
  const components = isObject(document.components) ? document.components : {};
  const declared = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const schemes = new Map<string, SecuritySchemeModel>();
  // Every variable some reader already reads: the server's own settings, then each scheme's in turn.
  const readers = new Map<string, string>(Object.keys(ENV_VARS).map((v) => [v, "the server's own setting"]));
  for (const name of Object.keys(declared).sort()) {
    const source = pointer('components', 'securitySchemes', name);
    const resolved = resolveObject(document, declared[name], source);
    if (!resolved) continue;
    const model = withOwnVariables(toSchemeModel(name, source, resolved.value), readers, diagnostics);
    if (!model.upstream) {
      diagnostics.push({
        code: 'SECURITY_SCHEME_UNSUPPORTED',
        severity: 'warning',
        message: `Security scheme "${name}" (${describeScheme(resolved.value)}) cannot be satisfied with credentials from the environment${framingHeaderOf(resolved.value)}; operations that need only it are called without credentials.`,
        pointer: source,
      });
    }
    schemes.set(name, model);
  }
  return reported(schemes, diagnostics);
}

/**
 * The scheme with variables no other reader reads. Scheme names that differ only in case or
 * punctuation (`api_key`, `apiKey`, `api-key`) share a prefix (`UPSTREAM_API_KEY`), and a prefix
 * plus a suffix can be another scheme's prefix or a server setting (`oauth` + `_CLIENT_ID` =
 * scheme `oauth_client_id`; scheme `base_url` = `UPSTREAM_BASE_URL`). One variable read by two
 * readers would send one secret where the other belongs (a header key in a query string), or
 * take the upstream URL for a key: the later scheme (in name order, so the choice is stable)
 * gets the first free prefix `<prefix>_2`, `_3`..., with a warning naming both.
 */
function withOwnVariables(
  model: SecuritySchemeModel,
  readers: Map<string, string>,
  diagnostics: Diagnostic[],
): SecuritySchemeModel {
  const upstream = model.upstream;
  if (!upstream) return model;
  const clash = (def: SecuritySchemeDefinition) => credentialVariables(def).find((v) => readers.has(v.name))?.name;
  let chosen = upstream;
  const first = clash(upstream);
  for (let n = 2; clash(chosen) !== undefined; n++) chosen = { ...upstream, env: `${upstream.env}_${n}` };
  for (const v of credentialVariables(chosen)) readers.set(v.name, `security scheme "${model.name}"`);
  if (first === undefined) return model;
  diagnostics.push({
    code: 'SECURITY_SCHEME_ENV_RENAMED',
    severity: 'warning',
    message: `Security scheme "${model.name}" would read ${first}, which ${readers.get(first) ?? 'another reader'} reads too; its credentials are read from ${credentialVariables(chosen).some((v) => v.name === chosen.env) ? chosen.env : `${chosen.env}_*`} instead.`,
    pointer: model.source,
    hint: 'Rename one of the schemes in the spec to keep names of your own choosing; the README and .env.example list the variables.',
  });
  return { ...model, upstream: chosen };
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
    ['header', 'query', 'cookie'].includes(String(scheme.in)) &&
    // A key in `Host`, `Transfer-Encoding`, `Content-Type`... would frame or route the request: unsupported.
    (scheme.in !== 'header' || isCredentialHeaderAllowed(scheme.name))
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

/** Why an API key in a header is refused, when it is: its header frames or routes the request. */
function framingHeaderOf(scheme: Record<string, unknown>): string {
  if (scheme.type !== 'apiKey' || scheme.in !== 'header' || typeof scheme.name !== 'string') return '';
  if (isCredentialHeaderAllowed(scheme.name)) return '';
  return `: its header "${scheme.name.replace(/[^\x20-\x7e]/g, '?').slice(0, 64)}" is one the server and node:http set themselves (framing, routing, Accept, Content-Type), never a credential`;
}

function describeScheme(scheme: Record<string, unknown>): string {
  return [scheme.type, scheme.scheme ?? scheme.in].filter((x) => typeof x === 'string').join(' ');
}

/** `petstore_auth` -> `PETSTORE_AUTH`, `bearerAuth` -> `BEARER_AUTH` (the rule is the runtime's). */
export const envName = schemeEnvName;
