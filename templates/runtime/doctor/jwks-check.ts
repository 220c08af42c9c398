import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { OAuthSettings } from '../auth/auth-config.js';
import { AuthError } from '../auth/auth-error.js';
import { fetchBounded, jsonObject } from '../auth/fetch-bounded.js';
import { guardKeySelection } from '../auth/key-selection.js';
import { fail, ok, type DoctorCheck } from './check.js';

export interface JwksCheckResult {
  readonly check: DoctorCheck;
  /** The key getter the verifier would use, for checking a sample token's signature. */
  readonly getKey?: JWTVerifyGetKey;
}

const ID = 'jwks';

/**
 * Fetches the JWKS as the verifier does and asks, for every signing key, the
 * question the verifier asks at each request (`guardKeySelection`): can a
 * token naming this `kid` and `alg` be verified? Fails on a duplicate kid
 * (RFC 7517 §4.5), an RSA key under 2048 bits (RFC 7518 §3.3), a key that
 * cannot be imported, a published private key, and a set with no usable
 * key. Encryption keys, symmetric keys and algorithms outside
 * OAUTH_ALGORITHMS are skipped, as the verifier never selects them.
 */
export async function checkJwks(settings: OAuthSettings, jwksUri: URL, timeoutMs: number): Promise<JwksCheckResult> {
  const at = `JWKS at ${jwksUri.href}`;
  let document: Record<string, unknown> | undefined;
  try {
    const response = await fetchBounded(
      'JWKS',
      jwksUri,
      { headers: { accept: 'application/json' } },
      { timeoutMs, maxBytes: 256 * 1024 },
    );
    if (response.status !== 200)
      return {
        check: fail(ID, `${at}: HTTP ${response.status}; JWT requests are answered 503 until it serves the key set`),
      };
    document = jsonObject(response.body);
  } catch (error) {
    return {
      check: fail(
        ID,
        `${error instanceof AuthError ? error.message : `${at}: fetch failed`}; JWT requests are answered 503 until this works`,
      ),
    };
  }
  if (!document || !Array.isArray(document.keys))
    return { check: fail(ID, `${at}: not a JSON Web Key Set ({"keys": [...]})`) };
  const jwks = document as unknown as JSONWebKeySet;
  let local: JWTVerifyGetKey;
  try {
    local = createLocalJWKSet(jwks);
  } catch {
    return { check: fail(ID, `${at}: not a usable JSON Web Key Set`) };
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
  if (problems.length > 0) {
    return {
      check: fail(
        ID,
        `${at}: ${[...new Set(problems)].join('; ')}; tokens signed with such a key are answered 503: fix the key set at the authorization server`,
      ),
      getKey,
    };
  }
  if (usable.length === 0) {
    return {
      check: fail(
        ID,
        `${at}: no usable signing key (RSA, EC or OKP with use "sig" and an algorithm in OAUTH_ALGORITHMS: ${settings.algorithms.join(', ')})`,
      ),
    };
  }
  return { check: ok(ID, `${at}: ${usable.length} usable signing key(s) (${usable.join(', ')})`), getKey };
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
