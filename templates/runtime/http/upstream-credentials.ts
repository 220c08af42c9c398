import type { SecurityRequirement, SecuritySchemeDefinition } from '../mcp/types.js';
import { assertNoControlBreaks } from './percent-encode.js';

/** The environment the server was started with; only read, never logged. */
export type CredentialEnv = Readonly<Record<string, string | undefined>>;

/** What to add to the upstream request; values are raw (the caller encodes query and cookie values). */
export interface UpstreamCredentials {
  readonly headers: Record<string, string>;
  readonly query: readonly (readonly [string, string])[];
  readonly cookies: readonly (readonly [string, string])[];
  /** Every secret value used, so that the caller can redact it from any message. */
  readonly secrets: readonly string[];
}

export type CredentialResolution =
  | ({ readonly satisfied: true } & UpstreamCredentials)
  /** No alternative is satisfiable: the names (never values) of the variables that would satisfy one. */
  | { readonly satisfied: false; readonly missing: readonly string[] };

type SchemeResult =
  | { readonly ok: true; readonly add: (into: MutableCredentials) => void; readonly secrets: readonly string[] }
  | { readonly ok: false; readonly missing: readonly string[] };

interface MutableCredentials {
  headers: Record<string, string>;
  query: [string, string][];
  cookies: [string, string][];
}

/**
 * Picks the FIRST alternative of the tool's `security` (OR of ANDs) whose
 * every scheme has its credentials in `env`, and returns what they add to
 * the request. `[]` (public) and an empty alternative (`{}`) need nothing.
 *
 * Per scheme type:
 * - `apiKey`: `env[<env>]`, sent in the declared header, query parameter or cookie.
 * - `http` `bearer`: `Authorization: Bearer env[<env>]` (RFC 6750 §2.1).
 * - `http` `basic`: `Authorization: Basic base64(<env>_USERNAME:<env>_PASSWORD)`
 *   (RFC 7617 §2, UTF-8); the password may be empty, the username may not.
 * - `oauth2`, `openIdConnect`: the static token `<env>_ACCESS_TOKEN` as a bearer token.
 *
 * Not done: other `http` schemes (e.g. digest) are never satisfiable; an
 * alternative in which two schemes set the same header is skipped. Values are
 * never put in messages; a value containing CR, LF or NUL throws
 * `invalid_header_value` naming only the variable.
 * @see https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 * @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object
 */
export function resolveUpstreamCredentials(
  security: readonly SecurityRequirement[],
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  env: CredentialEnv,
): CredentialResolution {
  if (security.length === 0) return { satisfied: true, headers: {}, query: [], cookies: [], secrets: [] };
  const missing = new Set<string>();
  for (const alternative of security) {
    const results = alternative.map((req) => {
      const def = Object.hasOwn(schemes, req.scheme) ? schemes[req.scheme] : undefined;
      return def === undefined ? ({ ok: false, missing: [] } as const) : resolveScheme(def, env);
    });
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) {
      for (const r of failed) for (const name of r.missing) missing.add(name);
      continue;
    }
    const into: MutableCredentials = { headers: {}, query: [], cookies: [] };
    const seen = new Set<string>();
    let clash = false;
    for (const r of results) {
      if (!r.ok) continue;
      const headers: Record<string, string> = {};
      r.add({ headers, query: into.query, cookies: into.cookies });
      for (const [name, value] of Object.entries(headers)) {
        clash ||= seen.has(name.toLowerCase());
        seen.add(name.toLowerCase());
        into.headers[name] = value;
      }
    }
    if (clash) continue;
    const secrets = results.flatMap((r) => (r.ok ? r.secrets : []));
    return { satisfied: true, ...into, secrets };
  }
  return { satisfied: false, missing: [...missing] };
}

function resolveScheme(def: SecuritySchemeDefinition, env: CredentialEnv): SchemeResult {
  switch (def.type) {
    case 'apiKey': {
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
      const userVar = `${def.env}_USERNAME`;
      const passVar = `${def.env}_PASSWORD`;
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
    case 'openIdConnect':
      // EXTENSION POINT (not implemented): the OAuth 2.0 client credentials
      // grant (RFC 6749 §4.4) with `<env>_CLIENT_ID` / `<env>_CLIENT_SECRET`
      // against `def.tokenUrl`, with caching until expiry. Until then only a
      // static `<env>_ACCESS_TOKEN` satisfies these schemes.
      return bearer(`${def.env}_ACCESS_TOKEN`, env);
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
