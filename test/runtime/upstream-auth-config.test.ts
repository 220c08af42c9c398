import { describe, expect, it } from 'vitest';
import { createUpstreamAuth } from '../../templates/runtime/http/upstream-auth.js';
import { parseTokenEndpointUrl } from '../../templates/runtime/http/token-endpoint-url.js';
import { UpstreamError } from '../../templates/runtime/http/upstream-error.js';
import type { SecuritySchemeDefinition } from '../../templates/runtime/mcp/types.js';

const schemes: Record<string, SecuritySchemeDefinition> = {
  cc: { type: 'oauth2', scopes: [], tokenUrl: 'https://auth.example/token', env: 'CC' },
  code: { type: 'oauth2', scopes: [], env: 'CODE' },
  insecure: { type: 'oauth2', scopes: [], tokenUrl: 'http://auth.example/token', env: 'INSECURE' },
  oidc: {
    type: 'openIdConnect',
    openIdConnectUrl: 'https://auth.example/.well-known/openid-configuration',
    env: 'OIDC',
  },
  key: { type: 'apiKey', in: 'header', name: 'X-Key', env: 'KEY' },
};
const client = (prefix: string) => ({ [`${prefix}_CLIENT_ID`]: 'id', [`${prefix}_CLIENT_SECRET`]: 'the-secret' });

function configError(env: Record<string, string>, baseUrl?: string): { code: string; message: string } {
  try {
    createUpstreamAuth(schemes, env, baseUrl ? { baseUrl } : {});
  } catch (error) {
    if (error instanceof UpstreamError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no error');
}

describe('createUpstreamAuth: configuration read once, at start-up', () => {
  it.each([
    [
      'a client id without its secret',
      { CC_CLIENT_ID: 'id' },
      'invalid_credential',
      'CC_CLIENT_ID and CC_CLIENT_SECRET must be set together',
    ],
    [
      'a TOKEN_EXCHANGE that is not a boolean',
      { ...client('CC'), CC_TOKEN_EXCHANGE: 'yes' },
      'invalid_credential',
      'CC_TOKEN_EXCHANGE must be true or false',
    ],
    [
      'token exchange without a client',
      { CC_TOKEN_EXCHANGE: 'true' },
      'invalid_credential',
      'CC_TOKEN_EXCHANGE=true needs CC_CLIENT_ID and CC_CLIENT_SECRET',
    ],
    [
      'token exchange and a static token',
      { ...client('CC'), CC_TOKEN_EXCHANGE: 'true', CC_ACCESS_TOKEN: 'x' },
      'invalid_credential',
      'CC_TOKEN_EXCHANGE=true and CC_ACCESS_TOKEN exclude each other; unset one',
    ],
    [
      'a client for a scheme without a clientCredentials flow',
      client('CODE'),
      'invalid_credential',
      'scheme "code" declares no client credentials tokenUrl; set CODE_TOKEN_URL',
    ],
    [
      'an http tokenUrl off loopback',
      client('INSECURE'),
      'invalid_token_url',
      'the tokenUrl of scheme "insecure" (override with INSECURE_TOKEN_URL) must be an https URL (http only for loopback hosts)',
    ],
    [
      'an http TOKEN_URL off loopback',
      { ...client('CC'), CC_TOKEN_URL: 'http://10.0.0.1/token' },
      'invalid_token_url',
      'CC_TOKEN_URL must be an https URL (http only for loopback hosts)',
    ],
    [
      'a RESOURCE with a fragment',
      { ...client('CC'), CC_RESOURCE: 'https://api.example/#x' },
      'invalid_credential',
      'CC_RESOURCE must be an absolute URI without a fragment (RFC 8707 §2)',
    ],
    [
      'a relative RESOURCE',
      { ...client('CC'), CC_RESOURCE: '/api' },
      'invalid_credential',
      'CC_RESOURCE must be an absolute URI without a fragment (RFC 8707 §2)',
    ],
  ])('refuses %s, naming variables only', (_, env, code, message) => {
    const error = configError(env);
    expect(error).toEqual({ code, message });
    expect(error.message).not.toContain('the-secret');
  });

  it.each([
    ['nothing configured', {}, { cc: undefined, oidc: undefined }],
    [
      'client credentials',
      { ...client('CC'), ...client('OIDC') },
      { cc: 'client_credentials', oidc: 'client_credentials' },
    ],
    [
      'a static token wins over a client',
      { ...client('CC'), CC_ACCESS_TOKEN: 't' },
      { cc: undefined, oidc: undefined },
    ],
    ['token exchange', { ...client('OIDC'), OIDC_TOKEN_EXCHANGE: 'TRUE' }, { cc: undefined, oidc: 'token_exchange' }],
    [
      'TOKEN_EXCHANGE=false',
      { ...client('CC'), CC_TOKEN_EXCHANGE: 'false' },
      { cc: 'client_credentials', oidc: undefined },
    ],
  ])('%s', (_, env, want) => {
    const auth = createUpstreamAuth(schemes, env);
    expect({ cc: auth.flowOf('cc'), oidc: auth.flowOf('oidc') }).toEqual(want);
    expect(auth.flowOf('key')).toBeUndefined();
  });
});

describe('parseTokenEndpointUrl', () => {
  it.each([
    [
      'absolute https',
      'https://auth.example/oauth/token?tenant=a',
      undefined,
      'https://auth.example/oauth/token?tenant=a',
    ],
    ['http on 127.0.0.1', 'http://127.0.0.1:8080/token', undefined, 'http://127.0.0.1:8080/token'],
    ['http on localhost', 'http://localhost/token', undefined, 'http://localhost/token'],
    ['http on [::1]', 'http://[::1]:9/token', undefined, 'http://[::1]:9/token'],
    [
      'absolute-path reference: the base origin',
      '/oauth/token',
      'https://api.example/v1',
      'https://api.example/oauth/token',
    ],
    [
      'relative-path reference: RFC 3986 §5.2 merge',
      'oauth/token',
      'https://api.example/v1/',
      'https://api.example/v1/oauth/token',
    ],
  ])('accepts %s', (_, raw, base, want) => {
    expect(parseTokenEndpointUrl(raw, base, 'X').href).toBe(want);
  });

  it.each([
    ['http elsewhere', 'http://auth.example/token', undefined, 'X must be an https URL (http only for loopback hosts)'],
    [
      'a loopback-looking name',
      'http://127.0.0.1.nip.io/token',
      undefined,
      'X must be an https URL (http only for loopback hosts)',
    ],
    [
      'a relative URL against an http upstream',
      '/token',
      'http://api.example',
      'X must be an https URL (http only for loopback hosts)',
    ],
    ['a relative URL without a base', '/token', undefined, 'X is not a URL (and no base URL to resolve it against)'],
    ['userinfo', 'https://user:pw@auth.example/token', undefined, 'X must not carry credentials'],
    ['a fragment (RFC 6749 §3.2)', 'https://auth.example/token#f', undefined, 'X must not have a fragment'],
    ['another scheme', 'file:///etc/passwd', undefined, 'X must be an https URL (http only for loopback hosts)'],
  ])('refuses %s', (_, raw, base, message) => {
    expect(() => parseTokenEndpointUrl(raw, base, 'X')).toThrow(new UpstreamError('invalid_token_url', message));
  });
});
