import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { ConfigError } from '../config/config-error.js';
import { readChoice, readFlag, readInteger, readList, readText, type Env } from '../config/env-readers.js';
import { OAUTH_DEFAULT_ALGORITHMS } from '../config/env-table.js';
import { isLoopback } from '../config/loopback.js';
import { readApiKeysFile, type ApiKeyEntry } from './api-keys.js';

/** Asymmetric JWS algorithms only: never `none`, never HMAC (RFC 8725 §3.1, §2.1); OAUTH_ALGORITHMS's default. */
export const DEFAULT_ALGORITHMS = OAUTH_DEFAULT_ALGORITHMS;

/** A signing key given in the environment instead of a JWKS URL. */
export type StaticKey =
  { readonly kind: 'key'; readonly key: KeyObject } | { readonly kind: 'jwks'; readonly jwks: JSONWebKeySet };

export interface IntrospectionSettings {
  /** Absent: taken from the issuer metadata's `introspection_endpoint` (RFC 8414 §2). */
  readonly url?: URL;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface OAuthSettings {
  readonly mode: 'oauth';
  /** Exactly as configured: it is compared with `iss` and the metadata's `issuer` character for character. */
  readonly issuer: string;
  /** Accepted `aud` values (RFC 8707; MCP authorization "Token Audience Binding"). */
  readonly audiences: readonly string[];
  readonly jwksUri?: URL;
  readonly publicKey?: StaticKey;
  readonly introspection?: IntrospectionSettings;
  readonly algorithms: readonly string[];
  readonly clockToleranceS: number;
  /** `authorization_servers` of the RFC 9728 metadata. */
  readonly authorizationServers: readonly string[];
  readonly maxTokenBytes: number;
  /** Plain-http issuer, JWKS or introspection URLs off loopback (OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP). */
  readonly allowInsecureHttp: boolean;
  /**
   * Accept JWTs whose `typ` is `JWT` or absent instead of `at+jwt` (RFC 9068 §4), for issuers that
   * cannot type their access tokens (OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT).
   */
  readonly acceptPlainJwt: boolean;
  /**
   * Accept an introspection answer without `aud` (OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD):
   * only safe when the authorization server answers `active: true` to this introspection client
   * solely for tokens issued for this resource.
   */
  readonly introspectionAcceptsMissingAudience: boolean;
  /**
   * The claim holding the granted scopes instead of `scope`/`scp` (OAUTH_SCOPES_CLAIM), e.g. `permissions`
   * for Auth0 RBAC. Absent: `scope`, else `scp`.
   */
  readonly scopesClaim?: string;
  /**
   * Client ids whose access tokens without any `aud` are accepted as bound to this server
   * (OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE), for Amazon Cognito, whose access tokens carry
   * `client_id` and `token_use` but no `aud`. Weaker than RFC 8707: see audience-binding.ts.
   */
  readonly clientIdAudiences?: readonly string[];
  /**
   * Put before each granted scope that lacks it (OAUTH_GRANTED_SCOPE_PREFIX), for Microsoft Entra ID,
   * whose `scp` holds `pets.read` for a scope requested as `api://<app>/pets.read`.
   */
  readonly grantedScopePrefix?: string;
}

export interface ApiKeySettings {
  readonly mode: 'api-key';
  readonly keysFile: string;
  /** Read and checked at start-up. */
  readonly keys: readonly ApiKeyEntry[];
  readonly maxTokenBytes: number;
}

export interface NoAuthSettings {
  readonly mode: 'none';
  readonly maxTokenBytes: number;
}

export type AuthSettings = OAuthSettings | ApiKeySettings | NoAuthSettings;

/**
 * Reads the authentication settings once, at start-up, and throws
 * `ConfigError` saying what to set. It checks shapes and the algorithm
 * allow-list; it does not contact the issuer (discovery is lazy, so the
 * server starts while the issuer is down and answers 503 until it is back).
 */
export function loadAuthConfig(env: Env, publicUrl: URL): AuthSettings {
  const mode = readChoice(env, 'MCP_AUTH');
  const maxTokenBytes = readInteger(env, 'OAUTH_MAX_TOKEN_BYTES');
  if (mode === 'none') return Object.freeze({ mode, maxTokenBytes });
  if (mode === 'api-key') {
    const keysFile = readText(env, 'MCP_API_KEYS_FILE');
    if (!keysFile) {
      throw new ConfigError(
        'MCP_AUTH=api-key needs MCP_API_KEYS_FILE: the path of a JSON file {"keys":[{"sha256":"<hex>","subject":"...","roles":[],"scopes":[]}]} (hash a key with `npm run hash-key`).',
      );
    }
    return Object.freeze({ mode, keysFile, keys: readApiKeysFile(keysFile), maxTokenBytes });
  }

  const allowInsecureHttp = readFlag(env, 'OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP');
  const issuer = readText(env, 'OAUTH_ISSUER');
  if (!issuer) {
    throw new ConfigError(
      'MCP_AUTH=oauth needs OAUTH_ISSUER: the issuer identifier of your authorization server, exactly as its metadata states it (e.g. https://auth.example.com/realms/main).',
    );
  }
  const issuerUrl = httpUrl(issuer, 'OAUTH_ISSUER', allowInsecureHttp);
  // RFC 8414 §2: the issuer identifier has no query or fragment.
  if (issuerUrl.search || issuerUrl.hash || issuer.includes('#') || issuer.includes('?')) {
    throw new ConfigError('OAUTH_ISSUER must not have a query or fragment (RFC 8414 §2).');
  }

  const jwksRaw = readText(env, 'OAUTH_JWKS_URI');
  const keyRaw = readText(env, 'OAUTH_PUBLIC_KEY');
  if (jwksRaw && keyRaw) throw new ConfigError('Set either OAUTH_JWKS_URI or OAUTH_PUBLIC_KEY, not both.');

  return Object.freeze({
    mode,
    issuer,
    audiences: Object.freeze(readList(env, 'OAUTH_AUDIENCE') ?? defaultAudiences(publicUrl)),
    ...(jwksRaw ? { jwksUri: httpUrl(jwksRaw, 'OAUTH_JWKS_URI', allowInsecureHttp) } : {}),
    ...(keyRaw ? { publicKey: parseStaticKey(keyRaw) } : {}),
    ...introspection(env, allowInsecureHttp),
    algorithms: Object.freeze(algorithms(env)),
    clockToleranceS: readInteger(env, 'OAUTH_CLOCK_TOLERANCE_S'),
    authorizationServers: Object.freeze(
      (readList(env, 'OAUTH_AUTHORIZATION_SERVERS') ?? [issuer]).map((server) => {
        httpUrl(server, 'OAUTH_AUTHORIZATION_SERVERS', allowInsecureHttp);
        return server;
      }),
    ),
    maxTokenBytes,
    allowInsecureHttp,
    acceptPlainJwt: readFlag(env, 'OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT'),
    introspectionAcceptsMissingAudience: readFlag(env, 'OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD'),
    ...scopesClaim(env),
    ...clientIdAudiences(env),
    ...grantedScopePrefix(env),
  });
}

/** A top-level claim name; nested paths are not read (`scope` and `scp` are top-level too). */
function scopesClaim(env: Env): { scopesClaim?: string } {
  const claim = readText(env, 'OAUTH_SCOPES_CLAIM');
  if (claim === undefined) return {};
  if (!/^[\x21-\x7e]{1,128}$/.test(claim)) {
    throw new ConfigError(
      `OAUTH_SCOPES_CLAIM must be one claim name of printable characters without spaces, e.g. permissions (got "${claim}").`,
    );
  }
  return { scopesClaim: claim };
}

function grantedScopePrefix(env: Env): { grantedScopePrefix?: string } {
  const prefix = readText(env, 'OAUTH_GRANTED_SCOPE_PREFIX');
  if (prefix === undefined) return {};
  // RFC 6749 §3.3: scope tokens are %x21 / %x23-5B / %x5D-7E, so a prefix of them keeps the scope valid.
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(prefix)) {
    throw new ConfigError(
      `OAUTH_GRANTED_SCOPE_PREFIX must consist of scope characters (RFC 6749 §3.3), e.g. api://<application id>/ (got "${prefix}").`,
    );
  }
  return { grantedScopePrefix: prefix };
}

function clientIdAudiences(env: Env): { clientIdAudiences?: readonly string[] } {
  const ids = readList(env, 'OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE');
  if (ids === undefined) return {};
  if (ids.some((id) => /^(\*|true|1)$/i.test(id))) {
    throw new ConfigError(
      'OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE takes the client ids allowed to call this server (comma-separated), not a flag or a wildcard.',
    );
  }
  return { clientIdAudiences: Object.freeze([...new Set(ids)]) };
}

/**
 * The public URL itself; for a root URL also the form without the trailing
 * slash, which the MCP authorization spec calls the canonical one
 * ("Canonical Server URI").
 */
function defaultAudiences(publicUrl: URL): string[] {
  const href = publicUrl.href;
  return publicUrl.pathname === '/' && !publicUrl.search ? [href, href.slice(0, -1)] : [href];
}

function introspection(env: Env, allowInsecureHttp: boolean): { introspection?: IntrospectionSettings } {
  const urlRaw = readText(env, 'OAUTH_INTROSPECTION_URL');
  const clientId = readText(env, 'OAUTH_INTROSPECTION_CLIENT_ID');
  const clientSecret = readText(env, 'OAUTH_INTROSPECTION_CLIENT_SECRET');
  if (!urlRaw && !clientId && !clientSecret) return {};
  if (!clientId || !clientSecret) {
    throw new ConfigError(
      'Token introspection (RFC 7662) needs both OAUTH_INTROSPECTION_CLIENT_ID and OAUTH_INTROSPECTION_CLIENT_SECRET (OAUTH_INTROSPECTION_URL is optional: the issuer metadata names it).',
    );
  }
  const url = urlRaw ? httpUrl(urlRaw, 'OAUTH_INTROSPECTION_URL', allowInsecureHttp) : undefined;
  return { introspection: Object.freeze({ ...(url ? { url } : {}), clientId, clientSecret }) };
}

function algorithms(env: Env): string[] {
  const given = readList(env, 'OAUTH_ALGORITHMS');
  if (!given) return [...DEFAULT_ALGORITHMS];
  for (const alg of given) {
    // RFC 8725 §3.1/§3.2: `none` and HMAC keyed with a public key are the classic algorithm confusions.
    if (/^none$/i.test(alg) || /^HS/i.test(alg)) {
      throw new ConfigError(
        `OAUTH_ALGORITHMS must not contain "${alg}": only asymmetric algorithms are accepted (${DEFAULT_ALGORITHMS.join(', ')}).`,
      );
    }
    if (!(DEFAULT_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new ConfigError(
        `OAUTH_ALGORITHMS: unknown algorithm "${alg}"; choose from ${DEFAULT_ALGORITHMS.join(', ')}.`,
      );
    }
  }
  return [...new Set(given)];
}

/** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used". */
export const MIN_RSA_BITS = 2048;

const PUBLIC_KEY_HELP =
  'OAUTH_PUBLIC_KEY must be a PEM public key ("-----BEGIN PUBLIC KEY-----", SPKI) or a JWK / JWKS JSON of RSA, EC or OKP public keys';

/** Parses OAUTH_PUBLIC_KEY; private and symmetric keys are refused so that a secret never sits here by mistake. */
function parseStaticKey(raw: string): StaticKey {
  const text = raw.replace(/\\n/g, '\n').trim();
  if (text.startsWith('-----')) {
    if (!text.startsWith('-----BEGIN PUBLIC KEY-----'))
      throw new ConfigError(`${PUBLIC_KEY_HELP}; got another PEM type.`);
    return { kind: 'key', key: publicKeyObject(() => createPublicKey({ key: text, format: 'pem' })) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${PUBLIC_KEY_HELP}; it is neither PEM nor JSON.`);
  }
  if (isObject(json) && Array.isArray(json.keys)) {
    if (json.keys.length === 0) throw new ConfigError(`${PUBLIC_KEY_HELP}; the JWKS has no keys.`);
    json.keys.forEach((jwk, index) => publicJwk(jwk, `keys[${index}]`));
    // RFC 7517 §4.5: keys of one set SHOULD have distinct kids; a repeated one makes key selection ambiguous.
    const kids = json.keys.map((jwk) => (isObject(jwk) ? jwk.kid : undefined)).filter((kid) => kid !== undefined);
    const repeated = kids.find((kid, index) => kids.indexOf(kid) !== index);
    if (repeated !== undefined)
      throw new ConfigError(`${PUBLIC_KEY_HELP}; kid ${JSON.stringify(repeated)} appears more than once.`);
    return { kind: 'jwks', jwks: json as unknown as JSONWebKeySet };
  }
  return { kind: 'key', key: publicJwk(json, 'the JWK') };
}

function publicJwk(jwk: unknown, where: string): KeyObject {
  if (!isObject(jwk) || typeof jwk.kty !== 'string')
    throw new ConfigError(`${PUBLIC_KEY_HELP}; ${where} is not a JWK.`);
  if (jwk.kty === 'oct') throw new ConfigError(`${PUBLIC_KEY_HELP}; ${where} is a symmetric key (HMAC is refused).`);
  if ('d' in jwk) throw new ConfigError(`${PUBLIC_KEY_HELP}; ${where} is a private key: give its public part only.`);
  return publicKeyObject(() => createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }), where);
}

function publicKeyObject(create: () => KeyObject, where = 'the key'): KeyObject {
  let key: KeyObject;
  try {
    key = create();
  } catch {
    throw new ConfigError(`${PUBLIC_KEY_HELP}; ${where} could not be read.`);
  }
  if (!['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448'].includes(key.asymmetricKeyType ?? '')) {
    throw new ConfigError(`${PUBLIC_KEY_HELP}; ${where} is of an unsupported type.`);
  }
  // RFC 7518 §3.3: RSA keys of 2048 bits or more (jose refuses smaller ones at every request).
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && bits < MIN_RSA_BITS) {
    throw new ConfigError(
      `${PUBLIC_KEY_HELP}; ${where} is an RSA key of ${bits} bits, at least ${MIN_RSA_BITS} are needed.`,
    );
  }
  return key;
}

function httpUrl(raw: string, name: string, allowInsecureHttp: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute https URL (got "${raw}").`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an https URL (got "${raw}").`);
  }
  if (parsed.username || parsed.password) throw new ConfigError(`${name} must not carry credentials in the URL.`);
  // RFC 8414 §2 / RFC 9700 §4.x: authorization traffic over TLS; loopback is the development exception.
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname) && !allowInsecureHttp) {
    throw new ConfigError(
      `${name} must use https (got "${raw}"); plain http is allowed on loopback only, or with OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP=true.`,
    );
  }
  return parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
