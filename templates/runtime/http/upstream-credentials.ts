import type { SecurityRequirement, SecuritySchemeDefinition } from '../mcp/types.js';
import { isCredentialHeaderAllowed } from './framing-headers.js';
import { assertNoControlBreaks } from './percent-encode.js';
import type { UpstreamAuth, UpstreamCallContext } from './upstream-auth.js';

/** The environment the server was started with; only read, never logged. */
export type CredentialEnv = Readonly<Record<string, string | undefined>>;

/**
 * The prefix of a security scheme's credential variables: `UPSTREAM_` and the scheme name in
 * upper snake case (`petstore_auth` -> `UPSTREAM_PETSTORE_AUTH`, `bearerAuth` -> `UPSTREAM_BEARER_AUTH`).
 * The generator stores it as `env` in each `SecuritySchemeDefinition`; this is the one place the rule lives.
 */
export function credentialPrefix(schemeName: string): string {
  return `UPSTREAM_${schemeEnvName(schemeName)}`;
}

/** A scheme name in upper snake case, only `A-Z0-9_`: `SCHEME` when nothing is left. */
export function schemeEnvName(schemeName: string): string {
  return (
    schemeName
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase() || 'SCHEME'
  );
}

/** What follows the prefix: HTTP Basic's two, and the settings of an oauth2 / openIdConnect scheme. */
export type CredentialSuffix =
  | 'USERNAME'
  | 'PASSWORD'
  | 'ACCESS_TOKEN'
  | 'CLIENT_ID'
  | 'CLIENT_SECRET'
  | 'TOKEN_URL'
  | 'SCOPES'
  | 'AUDIENCE'
  | 'RESOURCE'
  | 'TOKEN_EXCHANGE';

/** `<prefix>_<suffix>`, e.g. `UPSTREAM_OAUTH_CLIENT_ID`. */
export function credentialVariable(prefix: string, suffix: CredentialSuffix): string {
  return `${prefix}_${suffix}`;
}

/** One variable a scheme reads, for `.env.example`, the README and client snippets. */
export interface CredentialVariable {
  readonly name: string;
  /** One line of Markdown. */
  readonly description: string;
  /** Alternatives and tuning: commented out in `.env.example`, left out of client snippets. */
  readonly optional: boolean;
  /** Never printed, echoed or logged. */
  readonly secret: boolean;
}

/**
 * Every variable the runtime reads for `def` (this module and `upstream-auth.ts`), in the order to
 * document them. For oauth2 with a client credentials `tokenUrl` and for openIdConnect, the client
 * credentials come first and are expected; otherwise the static access token is.
 */
export function credentialVariables(def: SecuritySchemeDefinition): CredentialVariable[] {
  const must = (name: string, description: string, secret = false) => ({ name, description, optional: false, secret });
  const may = (name: string, description: string, secret = false) => ({ name, description, optional: true, secret });
  const v = (suffix: CredentialSuffix) => credentialVariable(def.env, suffix);
  switch (def.type) {
    case 'apiKey':
      return [
        must(def.env, `API key (${def.in} \`${def.name.replace(/[\u0000-\u001f\u007f\u2028\u2029`]/g, '')}\`)`, true),
      ];
    case 'http':
      return def.scheme.toLowerCase() === 'basic'
        ? [must(v('USERNAME'), 'HTTP Basic user name'), must(v('PASSWORD'), 'HTTP Basic password', true)]
        : [must(def.env, 'bearer token', true)];
    case 'oauth2':
    case 'openIdConnect': {
      // A declared token endpoint (clientCredentials tokenUrl, or OpenID discovery) makes client credentials the default.
      const endpoint = def.type === 'openIdConnect' || def.tokenUrl !== undefined;
      const client = [
        (endpoint ? must : may)(v('CLIENT_ID'), 'OAuth client id of this server (client credentials, RFC 6749 §4.4)'),
        (endpoint ? must : may)(
          v('CLIENT_SECRET'),
          'its client secret (sent with HTTP Basic to the token endpoint only)',
          true,
        ),
      ];
      const token = (endpoint ? may : must)(
        v('ACCESS_TOKEN'),
        'a static access token, instead of client credentials',
        true,
      );
      return [
        ...(endpoint ? client : [token]),
        ...(endpoint ? [token] : client),
        may(
          v('TOKEN_URL'),
          endpoint
            ? 'token endpoint, overriding the API description'
            : 'token endpoint (the API description names none)',
        ),
        may(v('SCOPES'), 'scopes to request, space separated (default: those the operation lists)'),
        may(v('AUDIENCE'), '`audience` of token requests'),
        may(v('RESOURCE'), "RFC 8707 `resource` of token requests: the API's URI"),
        may(
          v('TOKEN_EXCHANGE'),
          "`true`: exchange the caller's OAuth token for an API token (RFC 8693) with this client, instead of client credentials",
        ),
      ];
    }
  }
}

/** What to add to the upstream request; values are raw (the caller encodes query and cookie values). */
export interface UpstreamCredentials {
  readonly headers: Record<string, string>;
  readonly query: readonly (readonly [string, string])[];
  readonly cookies: readonly (readonly [string, string])[];
  /** Every secret value used, so that the caller can redact it from any message. */
  readonly secrets: readonly string[];
  /** Present when a token came from a token endpoint: drops it from the cache (after an upstream 401). */
  readonly discard?: () => void;
}

export type CredentialResolution =
  | ({ readonly satisfied: true } & UpstreamCredentials)
  | {
      readonly satisfied: false;
      /** What to set (variable names, never values) so that some alternative would be satisfied. */
      readonly missing: readonly string[];
      /**
       * Schemes that are configured but cannot be used for this call (token
       * exchange without a caller token). The call must fail, not go out
       * without credentials.
       */
      readonly blocked?: readonly string[];
    };

/** Everything besides the environment that resolving may use. */
export interface CredentialContext extends UpstreamCallContext {
  /** The server's upstream OAuth flows and token cache; without it only static tokens satisfy oauth2/openIdConnect. */
  readonly auth?: UpstreamAuth;
}

type SchemeResult =
  | { readonly ok: true; readonly add: (into: MutableCredentials) => void; readonly secrets: readonly string[] }
  /** A token to fetch from the scheme's token endpoint once this alternative is chosen. */
  | { readonly ok: true; readonly fetch: { readonly scheme: string; readonly scopes: readonly string[] } }
  | { readonly ok: false; readonly missing: readonly string[]; readonly blocked?: string };

interface MutableCredentials {
  headers: Record<string, string>;
  query: [string, string][];
  cookies: [string, string][];
}

/**
 * Picks the FIRST alternative of the tool's `security` (OR of ANDs) whose
 * every scheme has its credentials configured, and returns what they add to
 * the request. `[]` (public) and an empty alternative (`{}`) need nothing.
 *
 * Per scheme type:
 * - `apiKey`: `env[<env>]`, sent in the declared header, query parameter or cookie.
 * - `http` `bearer`: `Authorization: Bearer env[<env>]` (RFC 6750 §2.1).
 * - `http` `basic`: `Authorization: Basic base64(<env>_USERNAME:<env>_PASSWORD)`
 *   (RFC 7617 §2, UTF-8); the password may be empty, the username may not.
 * - `oauth2`, `openIdConnect`: the static token `<env>_ACCESS_TOKEN`, else a
 *   token from `context.auth` (client credentials, or token exchange of
 *   `context.subjectToken`), for the scopes the requirement lists. Only the
 *   chosen alternative's tokens are fetched.
 *
 * The caller's own token is never a credential here; token exchange sends it
 * to the token endpoint only (MCP authorization 2025-11-25 "Token Passthrough").
 *
 * Not done: other `http` schemes (e.g. digest) are never satisfiable; an
 * alternative in which two schemes set the same header is skipped. Values are
 * never put in messages; a value containing CR, LF or NUL throws
 * `invalid_header_value` naming only the variable.
 * @throws {UpstreamError} `invalid_header_value`, and what `UpstreamAuth.token` throws.
 * @see https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 * @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object
 */
export async function resolveUpstreamCredentials(
  security: readonly SecurityRequirement[],
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  env: CredentialEnv,
  context: CredentialContext = {},
): Promise<CredentialResolution> {
  return resolveCredentialsNow(security, schemes, env, context);
}

/** What a public operation (`security: []`) adds: nothing. Shared, so it is frozen. */
export const NO_CREDENTIALS: CredentialResolution = Object.freeze({
  satisfied: true as const,
  headers: Object.freeze({}),
  query: Object.freeze([]),
  cookies: Object.freeze([]),
  secrets: Object.freeze([]),
});

/**
 * {@link resolveUpstreamCredentials} without a promise when none is needed:
 * static credentials (API keys, static tokens, Basic) are resolved at once,
 * and only an alternative that fetches a token returns a promise. Throws
 * synchronously what the other rejects with.
 */
export function resolveCredentialsNow(
  security: readonly SecurityRequirement[],
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  env: CredentialEnv,
  context: CredentialContext = {},
): CredentialResolution | Promise<CredentialResolution> {
  if (security.length === 0) return NO_CREDENTIALS;
  const missing = new Set<string>();
  const blocked = new Set<string>();
  for (const alternative of security) {
    const results = alternative.map((req) => {
      const def = Object.hasOwn(schemes, req.scheme) ? schemes[req.scheme] : undefined;
      return def === undefined
        ? ({ ok: false, missing: [] } as const)
        : resolveScheme(req.scheme, req.scopes, def, env, context);
    });
    let failed = false;
    for (const r of results) {
      if (r.ok) continue;
      failed = true;
      for (const name of r.missing) missing.add(name);
      if (r.blocked !== undefined) blocked.add(r.blocked);
    }
    if (failed) continue;
    const into: MutableCredentials = { headers: {}, query: [], cookies: [] };
    const seen = new Set<string>();
    let clash = false;
    for (const r of results) {
      if (!r.ok) continue;
      const headers: Record<string, string> = {};
      if ('fetch' in r) headers['Authorization'] = '';
      else r.add({ headers, query: into.query, cookies: into.cookies });
      for (const [name, value] of Object.entries(headers)) {
        clash ||= seen.has(name.toLowerCase());
        seen.add(name.toLowerCase());
        into.headers[name] = value;
      }
    }
    if (clash) continue;
    const secrets = results.flatMap((r) => (r.ok && 'secrets' in r ? r.secrets : []));
    const fetches = results.flatMap((r) => (r.ok && 'fetch' in r ? [r.fetch] : []));
    if (fetches.length === 0) return { satisfied: true, ...into, secrets };
    const auth = context.auth;
    if (auth === undefined) throw new Error('unreachable: a token flow without UpstreamAuth');
    return withTokens(into, secrets, fetches, auth, context);
  }
  return { satisfied: false, missing: [...missing], ...(blocked.size > 0 ? { blocked: [...blocked] } : {}) };
}

/** The chosen alternative's credentials with the tokens it fetches from token endpoints. */
async function withTokens(
  into: MutableCredentials,
  secrets: readonly string[],
  fetches: readonly { readonly scheme: string; readonly scopes: readonly string[] }[],
  auth: UpstreamAuth,
  context: CredentialContext,
): Promise<CredentialResolution> {
  const tokens = await Promise.all(fetches.map((f) => auth.token(f.scheme, f.scopes, context)));
  // RFC 6750 §2.1; at most one per alternative, since two would clash on Authorization.
  for (const t of tokens) into.headers['Authorization'] = `Bearer ${t.token}`;
  return {
    satisfied: true,
    ...into,
    secrets: [...secrets, ...tokens.map((t) => t.token)],
    discard: () => tokens.forEach((t) => t.discard()),
  };
}

function resolveScheme(
  name: string,
  scopes: readonly string[],
  def: SecuritySchemeDefinition,
  env: CredentialEnv,
  context: CredentialContext,
): SchemeResult {
  switch (def.type) {
    case 'apiKey': {
      // The generator refuses such a scheme; a hand-edited table must not frame requests either.
      if (def.in === 'header' && !isCredentialHeaderAllowed(def.name)) return { ok: false, missing: [] };
      const key = read(env, def.env);
      if (key === undefined) return { ok: false, missing: [def.env] };
      return {
        ok: true,
        secrets: [key],
        add: (into) => {
          if (def.in === 'header') into.headers[def.name] = key;
          else if (def.in === 'query') into.query.push([def.name, key]);
          else into.cookies.push([def.name, key]);
        },
      };
    }
    case 'http': {
      const scheme = def.scheme.toLowerCase();
      if (scheme === 'bearer') return bearer(def.env, env);
      if (scheme !== 'basic') return { ok: false, missing: [] };
      const userVar = credentialVariable(def.env, 'USERNAME');
      const passVar = credentialVariable(def.env, 'PASSWORD');
      const user = read(env, userVar);
      const pass = read(env, passVar, true);
      if (user === undefined || pass === undefined) {
        return {
          ok: false,
          missing: [...(user === undefined ? [userVar] : []), ...(pass === undefined ? [passVar] : [])],
        };
      }
      const token = Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
      return {
        ok: true,
        secrets: [token, pass],
        add: (into) => {
          into.headers['Authorization'] = `Basic ${token}`;
        },
      };
    }
    case 'oauth2':
    case 'openIdConnect': {
      const flow = context.auth?.flowOf(name);
      if (flow === 'client_credentials') return { ok: true, fetch: { scheme: name, scopes } };
      if (flow === 'token_exchange') {
        // Fail closed: without the caller's token (stdio, API keys) there is nothing to exchange.
        if (!context.subjectToken) return { ok: false, missing: [], blocked: name };
        return { ok: true, fetch: { scheme: name, scopes } };
      }
      const v = (suffix: CredentialSuffix) => credentialVariable(def.env, suffix);
      const token = bearer(v('ACCESS_TOKEN'), env);
      if (token.ok) return token;
      return { ok: false, missing: [v('ACCESS_TOKEN'), `${v('CLIENT_ID')} and ${v('CLIENT_SECRET')}`] };
    }
  }
}

function bearer(variable: string, env: CredentialEnv): SchemeResult {
  const token = read(env, variable);
  if (token === undefined) return { ok: false, missing: [variable] };
  return {
    ok: true,
    secrets: [token],
    add: (into) => {
      into.headers['Authorization'] = `Bearer ${token}`;
    },
  };
}

/** An env value, or `undefined` when unset or (unless `allowEmpty`) empty. */
function read(env: CredentialEnv, variable: string, allowEmpty = false): string | undefined {
  const value = Object.hasOwn(env, variable) ? env[variable] : undefined;
  if (value === undefined || (value === '' && !allowEmpty)) return undefined;
  assertNoControlBreaks(value, `environment variable ${variable}`);
  return value;
}

/**
 * Every secret the schemes read from `env`, as the server may send it: API
 * keys, static tokens, Basic passwords with their `user:password` Base64
 * (RFC 7617 §2), OAuth client secrets. For the secret redactor built at
 * start-up; values are only collected, never validated or logged here.
 */
export function credentialSecrets(
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  env: CredentialEnv,
): string[] {
  const value = (variable: string) => (Object.hasOwn(env, variable) ? env[variable] : undefined) ?? '';
  const out: string[] = [];
  for (const def of Object.values(schemes)) {
    if (def.type === 'apiKey') out.push(value(def.env));
    else if (def.type === 'http' && def.scheme.toLowerCase() === 'basic') {
      const user = value(credentialVariable(def.env, 'USERNAME'));
      const pass = value(credentialVariable(def.env, 'PASSWORD'));
      out.push(pass, Buffer.from(`${user}:${pass}`, 'utf8').toString('base64'));
    } else if (def.type === 'http') out.push(value(def.env));
    else
      out.push(value(credentialVariable(def.env, 'ACCESS_TOKEN')), value(credentialVariable(def.env, 'CLIENT_SECRET')));
  }
  return [...new Set(out.flatMap((s) => [s, s.trim()]))].filter((s) => s !== '');
}
