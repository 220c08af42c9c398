import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../templates/runtime/auth/auth-error.js';
import { authErrorResponse } from '../../../templates/runtime/server/auth-response.js';

const settings = {
  resourceMetadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
  scopesSupported: ['pets:read', 'pets:write'],
};
const RM = 'resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"';

describe('authErrorResponse: one AuthError, one HTTP answer', () => {
  it.each<[string, AuthError, number, string | null, Record<string, unknown>]>([
    [
      'credential_missing: 401, challenge without an error code',
      new AuthError('credential_missing', 'no credential'),
      401,
      `Bearer scope="pets:read pets:write", ${RM}`,
      { code: -32001, data: { error: 'unauthorized' } },
    ],
    [
      'invalid_request: 400 invalid_request',
      new AuthError('invalid_request', 'more than one Authorization header'),
      400,
      `Bearer error="invalid_request", error_description="more than one Authorization header", scope="pets:read pets:write", ${RM}`,
      { code: -32600, message: 'more than one Authorization header', data: { error: 'invalid_request' } },
    ],
    [
      'invalid_token: 401 invalid_token',
      new AuthError('invalid_token', 'token expired'),
      401,
      `Bearer error="invalid_token", error_description="token expired", scope="pets:read pets:write", ${RM}`,
      { code: -32001, data: { error: 'invalid_token', error_description: 'token expired' } },
    ],
    [
      'insufficient_scope: 403 naming the scopes of this call (step-up)',
      new AuthError('insufficient_scope', 'createPet needs scope pets:write', { scopes: ['pets:write'] }),
      403,
      `Bearer error="insufficient_scope", error_description="createPet needs scope pets:write", scope="pets:write", ${RM}`,
      { code: -32003, data: { error: 'insufficient_scope', scope: 'pets:write' } },
    ],
    [
      'access_denied: 403 without a challenge',
      new AuthError('access_denied', 'deletePet: requires one of the roles vet'),
      403,
      null,
      { code: -32003, data: { error: 'access_denied', error_description: 'deletePet: requires one of the roles vet' } },
    ],
  ])('%s', (_name, error, status, challenge, rpcError) => {
    const answer = authErrorResponse(error, settings, 7);
    expect(answer.status).toBe(status);
    expect(answer.headers['www-authenticate'] ?? null).toBe(challenge);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toMatchObject({ jsonrpc: '2.0', id: 7, error: rpcError });
  });

  it('unavailable: 503 with Retry-After, and the operator message is not sent to the client', () => {
    const answer = authErrorResponse(
      new AuthError('unavailable', 'JWKS https://idp.internal/jwks returned 500'),
      settings,
    );
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.headers['www-authenticate']).toBeUndefined();
    expect(answer.body).not.toContain('idp.internal');
    expect(JSON.parse(answer.body)).toMatchObject({ id: null, error: { data: { error: 'temporarily_unavailable' } } });
    expect(
      authErrorResponse(new AuthError('unavailable', 'x', { retryAfterSeconds: 30 }), settings).headers['retry-after'],
    ).toBe('30');
  });

  it('names no metadata in API-key mode, and no scope when the tools need none', () => {
    const answer = authErrorResponse(new AuthError('credential_missing', 'no credential'), { scopesSupported: [] });
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  });
});
