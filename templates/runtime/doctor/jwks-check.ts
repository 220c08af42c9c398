import type { JWTVerifyGetKey } from 'jose';
import type { OAuthSettings } from '../auth/auth-config.js';
import { checkKeySet, type KeySetProblem } from '../auth/issuer-checks.js';
import { fail, ok, type DoctorCheck } from './check.js';

export interface JwksCheckResult {
  readonly check: DoctorCheck;
  /** The key getter the verifier would use, for checking a sample token's signature. */
  readonly getKey?: JWTVerifyGetKey;
}

const ID = 'jwks';

/** What follows from each kind of problem, for the operator reading the doctor's output. */
const CONSEQUENCE: Record<KeySetProblem['kind'], string> = {
  unreachable: '; JWT requests are answered 503 until this works',
  status: '; JWT requests are answered 503 until it serves the key set',
  shape: '',
  keys: '; tokens signed with such a key are answered 503: fix the key set at the authorization server',
  none: '',
};

/** The key set judged as the verifier would judge it (`checkKeySet`, shared with the start-up check), as a doctor check. */
export async function checkJwks(settings: OAuthSettings, jwksUri: URL, timeoutMs: number): Promise<JwksCheckResult> {
  const at = `JWKS at ${jwksUri.href}`;
  const result = await checkKeySet(settings, jwksUri, timeoutMs);
  if (result.ok) {
    return {
      check: ok(ID, `${at}: ${result.usable.length} usable signing key(s) (${result.usable.join(', ')})`),
      getKey: result.getKey,
    };
  }
  const cause = result.kind === 'unreachable' ? result.problem : `${at}: ${result.problem}`;
  const check = fail(ID, `${cause}${CONSEQUENCE[result.kind]}`);
  return result.kind === 'keys' ? { check, getKey: result.getKey } : { check };
}
