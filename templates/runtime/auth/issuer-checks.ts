import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { jsonObject } from '../http/fetch-bounded.js';
import type { OAuthSettings } from './auth-config.js';
import { AuthError } from './auth-error.js';
import { fetchFromAuthServer } from './fetch-from-auth-server.js';
import { discoverIssuerMetadata, type IssuerMetadata } from './issuer-metadata.js';
import { guardKeySelection } from './key-selection.js';

/**
 * The questions the verifier will ask of the authorization server, asked
 * ahead of time: by the start-up check (auth/startup-check.ts), which logs
 * the answers, and by `npm run doctor` (doctor/), which prints them. One
 * implementation, so the two cannot disagree with each other or with the
 * verifier. Each answer is a cause in words; the callers add the consequence.
 */

/**
 * Whether the verifier cannot work without issuer discovery: for its keys
 * unless OAUTH_JWKS_URI or OAUTH_PUBLIC_KEY is set, and for introspection
 * without OAUTH_INTROSPECTION_URL.
 */
export function discoveryNeeded(settings: OAuthSettings): boolean {
  return (
    !settings.publicKey &&
    (!settings.jwksUri || (settings.introspection !== undefined && settings.introspection.url === undefined))
  );
}

/** Issuer discovery exactly as the verifier does it (RFC 8414 §3.3 exact issuer match); a failure as its cause. */
export async function discoverForCheck(
  settings: OAuthSettings,
  timeoutMs: number,
): Promise<{ readonly metadata: IssuerMetadata } | { readonly cause: string }> {
  try {
    return {
      metadata: await discoverIssuerMetadata(settings.issuer, {
        timeoutMs,
        allowInsecureHttp: settings.allowInsecureHttp,
      }),
    };
  } catch (error) {
    return { cause: error instanceof AuthError ? error.message : 'discovery failed' };
  }
}

/** Introspection needs an endpoint: the configured one or the metadata's. The problem, when there is none. */
export function missingIntrospectionEndpoint(settings: OAuthSettings, metadata: IssuerMetadata): string | undefined {
  return settings.introspection && !settings.introspection.url && !metadata.introspectionEndpoint
    ? `the metadata of issuer "${settings.issuer}" has no introspection_endpoint`
    : undefined;
}

/** What is wrong with a key set, by kind, so each caller can say what follows from it. */
export type KeySetProblem =
  /** Could not be fetched: `problem` is the whole cause, URL included. */
  | { readonly kind: 'unreachable'; readonly problem: string }
  /** Answered with another status than 200. */
  | { readonly kind: 'status'; readonly problem: string }
  /** Not a JSON Web Key Set. */
  | { readonly kind: 'shape'; readonly problem: string }
  /** Some keys the verifier would select cannot be used. */
  | { readonly kind: 'keys'; readonly problem: string; readonly getKey: JWTVerifyGetKey }
  /** No key can verify a token. */
  | { readonly kind: 'none'; readonly problem: string };

export type KeySetCheck =
  | { readonly ok: true; readonly usable: readonly string[]; readonly getKey: JWTVerifyGetKey }
  | ({ readonly ok: false } & KeySetProblem);

/**
 * Fetches the JWKS as the verifier does and asks, for every signing key, the
 * question the verifier asks at each request (`guardKeySelection`): can a
 * token naming this `kid` and `alg` be verified? Finds a duplicate kid
 * (RFC 7517 §4.5), an RSA key under 2048 bits (RFC 7518 §3.3), a key that
 * cannot be imported, a published private key, and a set with no usable
 * key. Encryption keys, symmetric keys, unknown key types and algorithms
 * outside OAUTH_ALGORITHMS are skipped, as the verifier never selects them.
 * Problems other than `unreachable` are worded without the URL.
 */
export async function checkKeySet(settings: OAuthSettings, jwksUri: URL, timeoutMs: number): Promise<KeySetCheck> {
  let document: Record<string, unknown> | undefined;
  try {
    const response = await fetchFromAuthServer(
      'JWKS',
      jwksUri,
      { headers: { accept: 'application/json' } },
      { timeoutMs, maxBytes: 256 * 1024 },
    );
    if (response.status !== 200) return { ok: false, kind: 'status', problem: `HTTP ${response.status}` };
    document = jsonObject(response.body);
  } catch (error) {
    const problem = error instanceof AuthError ? error.message : `JWKS at ${jwksUri.href}: fetch failed`;
    return { ok: false, kind: 'unreachable', problem };
  }
  if (!document || !Array.isArray(document.keys))
    return { ok: false, kind: 'shape', problem: 'not a JSON Web Key Set ({"keys": [...]})' };
  const jwks = document as unknown as JSONWebKeySet;
  let local: JWTVerifyGetKey;
  try {
    local = createLocalJWKSet(jwks);
  } catch {
    return { ok: false, kind: 'shape', problem: 'not a usable JSON Web Key Set' };
  }
  const getKey = guardKeySelection(local, { issuer: settings.issuer, retryAfterSeconds: 5 });
  const usable: string[] = [];
  const problems: string[] = [];
  for (const [index, jwk] of (jwks.keys as unknown[]).entries()) {
    const name = isObject(jwk) && typeof jwk.kid === 'string' ? `kid "${jwk.kid}"` : `#${index}`;
    const outcome = await probe(jwk, getKey, settings.algorithms);
    if (outcome === 'usable') usable.push(name);
    else if (outcome !== 'skipped') problems.push(`key ${name}: ${outcome}`);
  }
  if (problems.length > 0) return { ok: false, kind: 'keys', problem: [...new Set(problems)].join('; '), getKey };
  if (usable.length === 0) {
    return {
      ok: false,
      kind: 'none',
      problem: `no usable signing key (RSA, EC or OKP with use "sig" and an algorithm in OAUTH_ALGORITHMS: ${settings.algorithms.join(', ')})`,
    };
  }
  return { ok: true, usable, getKey };
}

/** `usable`, `skipped` (the verifier never selects it) or what is wrong with the key. */
async function probe(jwk: unknown, getKey: JWTVerifyGetKey, algorithms: readonly string[]): Promise<string> {
  if (!isObject(jwk) || typeof jwk.kty !== 'string') return 'not a JWK';
  // A private key in a public set is a leak, whatever else it is.
  if ('d' in jwk) return 'a private key, published in the key set: remove it and rotate that key';
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'skipped';
  const alg = typeof jwk.alg === 'string' ? jwk.alg : defaultAlgorithm(jwk);
  if (alg === undefined || !algorithms.includes(alg)) return 'skipped';
  const header = { alg, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) };
  try {
    await getKey(header, { payload: '', signature: '' } satisfies FlattenedJWSInput);
    return 'usable';
  } catch (error) {
    if (error instanceof AuthError) return error.message.replace(/^JWKS of issuer "[^"]*": /, '');
    if (error instanceof errors.JWKSMultipleMatchingKeys)
      return `no kid while other keys fit ${alg}: give every key a distinct kid`;
    if (error instanceof errors.JWKSNoMatchingKey) return 'skipped';
    return `unusable (${(error as Error).name})`;
  }
}

/** The algorithm a key without `alg` is selected for (RFC 7518 §3.1). */
function defaultAlgorithm(jwk: JWK): string | undefined {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC') return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[jwk.crv ?? ''];
  if (jwk.kty === 'OKP' && (jwk.crv === 'Ed25519' || jwk.crv === 'Ed448')) return 'EdDSA';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
