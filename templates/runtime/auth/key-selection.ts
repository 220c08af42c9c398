import { errors, type JWTVerifyGetKey } from 'jose';
import { shown } from './access-token-type.js';
import { MIN_RSA_BITS } from './auth-config.js';
import { AuthUnavailableError } from './auth-error.js';

export interface KeySelectionOptions {
  /** Named in the operator's message. */
  readonly issuer: string;
  /** Sent as `Retry-After` with the 503. */
  readonly retryAfterSeconds: number;
  /** Told when the set proved unusable, so a remote set is fetched anew rather than trusted until it ages out. */
  readonly onUnusable?: () => void;
}

/**
 * Wraps a JWKS key getter so that a key set the server cannot use is the
 * server's failure (503, `AuthUnavailableError`), not the token's (401 would
 * make clients throw away good tokens):
 * - several keys with the token's `kid` (RFC 7517 §4.5: kids SHOULD be distinct
 *   within a set; jose will not pick one);
 * - the selected key cannot be imported, is not a public key, or is an RSA key
 *   under 2048 bits (RFC 7518 §3.3), which jose would refuse at verification.
 * A token naming a kid the set does not hold (`JWKSNoMatchingKey`), or naming
 * none while several keys fit its algorithm, stays the token's problem and is
 * passed on for a 401. Does not verify anything itself.
 */
export function guardKeySelection(getKey: JWTVerifyGetKey, options: KeySelectionOptions): JWTVerifyGetKey {
  const unavailable = (message: string, cause: unknown) => {
    options.onUnusable?.();
    return new AuthUnavailableError(`JWKS of issuer "${options.issuer}": ${message}`, {
      cause,
      retryAfterSeconds: options.retryAfterSeconds,
    });
  };
  return async (header, token) => {
    let key: Awaited<ReturnType<JWTVerifyGetKey>>;
    try {
      key = await getKey(header, token);
    } catch (error) {
      if (error instanceof AuthUnavailableError || error instanceof errors.JWKSNoMatchingKey) throw error;
      if (error instanceof errors.JWKSMultipleMatchingKeys) {
        if (typeof header.kid !== 'string') throw error;
        throw unavailable(
          `several keys have kid ${shown(header.kid)} for ${shown(String(header.alg))}; kid values must be unique (RFC 7517 §4.5)`,
          error,
        );
      }
      throw unavailable(`the key ${describeKid(header.kid)} is unusable (${(error as Error).name})`, error);
    }
    const bits = rsaBits(key);
    if (bits !== undefined && bits < MIN_RSA_BITS) {
      throw unavailable(
        `the key ${describeKid(header.kid)} is RSA with ${bits} bits; at least ${MIN_RSA_BITS} are needed (RFC 7518 §3.3)`,
        undefined,
      );
    }
    return key;
  };
}

function describeKid(kid: unknown): string {
  return typeof kid === 'string' ? `with kid ${shown(kid)}` : 'without kid';
}

function rsaBits(key: unknown): number | undefined {
  if (typeof key !== 'object' || key === null) return undefined;
  // A WebCrypto CryptoKey (what jose's JWKS getters return) or a node KeyObject.
  const algorithm = (key as { algorithm?: { modulusLength?: unknown } }).algorithm;
  if (typeof algorithm?.modulusLength === 'number') return algorithm.modulusLength;
  const details = (key as { asymmetricKeyDetails?: { modulusLength?: unknown } }).asymmetricKeyDetails;
  return typeof details?.modulusLength === 'number' ? details.modulusLength : undefined;
}
