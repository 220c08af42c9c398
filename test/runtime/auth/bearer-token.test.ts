import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../templates/runtime/auth/auth-error.js';
import type { AuthErrorCode } from '../../../templates/runtime/auth/auth-error.js';
import { bearerCandidate, checkBearerSyntax } from '../../../templates/runtime/auth/bearer-token.js';
import type { CredentialHeaders } from '../../../templates/runtime/auth/bearer-token.js';

/** What the gate does with a credential it has not verified before: the candidate, then its syntax. */
function extractBearer(headers: CredentialHeaders, options: { maxBytes: number; apiKeyHeader?: boolean }): string {
  return checkBearerSyntax(bearerCandidate(headers, options.maxBytes, options.apiKeyHeader === true));
}

const headers = (authorization: string[] = [], apiKey: string[] = []) => ({ authorization, apiKey });

describe('extractBearer', () => {
  it.each<[string, ReturnType<typeof headers>, boolean, string]>([
    ['a bearer token', headers(['Bearer abc.def-_~+/=']), false, 'abc.def-_~+/='],
    ['the scheme in any case', headers(['bEaReR tok']), false, 'tok'],
    ['an API key as X-API-Key in api-key mode', headers([], ['k1']), true, 'k1'],
    ['Authorization before X-API-Key', headers(['Bearer tok'], ['k1']), true, 'tok'],
  ])('returns %s', (_name, given, apiKeyHeader, want) => {
    expect(extractBearer(given, { maxBytes: 100, apiKeyHeader })).toBe(want);
  });

  it.each<[string, ReturnType<typeof headers>, boolean, AuthErrorCode, string]>([
    ['no header', headers(), false, 'credential_missing', 'no credential'],
    ['an empty header', headers(['']), false, 'credential_missing', 'no credential'],
    ['X-API-Key outside api-key mode', headers([], ['k1']), false, 'credential_missing', 'no credential'],
    ['another scheme', headers(['Basic YWxpY2U6cHc=']), false, 'credential_missing', 'no bearer credential'],
    [
      'two Authorization headers (RFC 6750 §3.1)',
      headers(['Bearer a', 'Bearer b']),
      false,
      'invalid_request',
      'more than one Authorization header',
    ],
    [
      'two Authorization headers of which one is not bearer',
      headers(['Basic x', 'Bearer b']),
      false,
      'invalid_request',
      'more than one Authorization header',
    ],
    ['two X-API-Key headers', headers([], ['k1', 'k2']), true, 'invalid_request', 'more than one X-API-Key header'],
    ['an empty bearer token', headers(['Bearer ']), false, 'invalid_token', 'empty bearer token'],
    [
      'a token with spaces',
      headers(['Bearer not a token']),
      false,
      'invalid_token',
      'token has characters a bearer token cannot have',
    ],
    ['a malformed header', headers(['!!']), false, 'invalid_token', 'malformed Authorization header'],
    ['an oversized token', headers([`Bearer ${'a'.repeat(101)}`]), false, 'invalid_token', 'token too large'],
  ])('refuses %s', (_name, given, apiKeyHeader, code, description) => {
    let thrown: unknown;
    try {
      extractBearer(given, { maxBytes: 100, apiKeyHeader });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AuthError);
    expect(thrown).toMatchObject({ code, description });
  });
});

describe('extractBearer reads `scheme [1*SP token]` exactly as the grammar says', () => {
  /** The grammar as a regular expression (what extractBearer matched before it scanned by hand). */
  function byRegex(header: string): string {
    const match = /^([A-Za-z]+) +(.*)$/.exec(header) ?? /^([A-Za-z]+)$/.exec(header);
    if (!match) return 'invalid_token';
    if (match[1]!.toLowerCase() !== 'bearer') return 'credential_missing';
    const token = (match[2] ?? '').trim();
    return token === '' ? 'invalid_token' : `token ${token}`;
  }
  function byExtract(header: string): string {
    try {
      return `token ${extractBearer(headers([header]), { maxBytes: 4096 })}`;
    } catch (error) {
      return (error as AuthError).code;
    }
  }
  const piece = fc.constantFrom(
    'Bearer',
    'bearer',
    'BEARER',
    'Basic',
    'B',
    ' ',
    '  ',
    '\t',
    'abc',
    '.',
    '=',
    '-_~+/',
    'é',
    '\u0085',
    '\u00a0',
    '1',
  );

  it('agrees with the grammar on random headers (the token syntax check aside)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const header = parts.join('');
        if (header === '') return;
        const expected = byRegex(header);
        const actual = byExtract(header);
        // A token the grammar reads may still fail the b64token syntax (RFC 6750 §2.1): invalid_token.
        if (expected.startsWith('token ') && actual === 'invalid_token') {
          expect(/^[A-Za-z0-9\-._~+/]+=*$/.test(expected.slice(6))).toBe(false);
          return;
        }
        expect(actual).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
