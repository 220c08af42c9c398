import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export type SigningAlgorithm = 'RS256' | 'ES256';

/**
 * A fresh private signing key as a JWK. The `kid` is unique per call: oidc-provider refuses a
 * key set with duplicate ids, and a resource server caching a JWKS across runs must never match
 * a stale key by id (RFC 7517 §4.5).
 */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `test-${alg.toLowerCase()}-${randomUUID()}`, alg, use: 'sig' };
}
