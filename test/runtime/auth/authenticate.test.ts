import { describe, expect, it } from 'vitest';
import { AuthError, AuthUnavailableError, InvalidTokenError } from '../../../templates/runtime/auth/auth-error.js';
import { authenticateNow } from '../../../templates/runtime/auth/authenticate.js';
import type { Principal, TokenVerifier } from '../../../templates/runtime/auth/principal.js';

const principal: Principal = { subject: 'alice', scopes: ['read'], claims: {}, via: 'jwt' };
const verifier = (verify: TokenVerifier['verify']): TokenVerifier => ({ verify });
const bearer = { authorization: ['Bearer tok'], apiKey: [] };
/** Every outcome as a promise: a refusal before verifying (thrown at once) rejects like a verifier's. */
const authenticate = async (...args: Parameters<typeof authenticateNow>) => authenticateNow(...args);

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('authenticate', () => {
  it('returns the verified principal and the token', async () => {
    const seen: string[] = [];
    const result = await authenticate(bearer, {
      verifier: verifier(async (t) => (seen.push(t), principal)),
      maxTokenBytes: 100,
    });
    expect(result).toEqual({ principal, token: 'tok' });
    expect(seen).toEqual(['tok']);
  });

  it('does not ask the verifier when no credential was sent', async () => {
    let asked = false;
    const error = await refusal(
      authenticate(
        { authorization: [], apiKey: [] },
        { verifier: verifier(async () => ((asked = true), principal)), maxTokenBytes: 100 },
      ),
    );
    expect(error).toMatchObject({ code: 'credential_missing' });
    expect(asked).toBe(false);
  });

  it("passes the verifier's own AuthError kinds through unchanged", async () => {
    const invalid = new InvalidTokenError('token expired');
    const unavailable = new AuthUnavailableError('JWKS unreachable', { retryAfterSeconds: 7 });
    expect(
      await refusal(
        authenticate(bearer, { verifier: verifier(async () => Promise.reject(invalid)), maxTokenBytes: 100 }),
      ),
    ).toBe(invalid);
    expect(
      await refusal(
        authenticate(bearer, { verifier: verifier(async () => Promise.reject(unavailable)), maxTokenBytes: 100 }),
      ),
    ).toBe(unavailable);
  });

  it('fails closed on an unexpected verifier failure: unavailable, with the failure as cause', async () => {
    const boom = new TypeError('boom');
    const error = await refusal(
      authenticate(bearer, { verifier: verifier(async () => Promise.reject(boom)), maxTokenBytes: 100 }),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'unavailable', description: 'token verification failed', cause: boom });
  });
});

describe('authenticateNow', () => {
  it('answers at once, without a promise or the verifier, for a token the verifier recalls', () => {
    let verified = 0;
    const recalling: TokenVerifier = {
      verify: async () => (verified++, principal),
      recall: (t) => (t === 'tok' ? principal : undefined),
    };
    expect(authenticateNow(bearer, { verifier: recalling, maxTokenBytes: 100 })).toEqual({ principal, token: 'tok' });
    expect(verified).toBe(0);
  });

  it('verifies a token the verifier does not recall, with the same refusals as authenticate', async () => {
    const recalling: TokenVerifier = {
      verify: async () => Promise.reject(new Error('socket hang up')),
      recall: () => undefined,
    };
    const pending = authenticateNow(bearer, { verifier: recalling, maxTokenBytes: 100 });
    expect(pending).toBeInstanceOf(Promise);
    expect(await refusal(pending as Promise<unknown>)).toMatchObject({ code: 'unavailable' });
  });

  it('throws at once for a credential refused before verifying, without asking recall', () => {
    let asked = false;
    const recalling: TokenVerifier = { verify: async () => principal, recall: () => ((asked = true), principal) };
    expect(() =>
      authenticateNow(
        { authorization: ['Bearer a', 'Bearer b'], apiKey: [] },
        { verifier: recalling, maxTokenBytes: 100 },
      ),
    ).toThrow(AuthError);
    expect(() =>
      authenticateNow(
        { authorization: [`Bearer ${'x'.repeat(200)}`], apiKey: [] },
        { verifier: recalling, maxTokenBytes: 100 },
      ),
    ).toThrow(AuthError);
    expect(asked).toBe(false);
  });
});
