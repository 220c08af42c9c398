import { describe, expect, it } from 'vitest';
import { bearerChallenge, protectedResourceMetadataUrl } from '../../../templates/runtime/auth/www-authenticate.js';

describe('protectedResourceMetadataUrl (RFC 9728 §3.1)', () => {
  it.each([
    ['https://mcp.example.com/mcp', 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'],
    ['https://mcp.example.com/', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
    ['https://mcp.example.com', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
    ['http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp'],
    ['https://example.com/tools/pets/mcp/', 'https://example.com/.well-known/oauth-protected-resource/tools/pets/mcp/'],
    [
      'https://example.com:8443/mcp?tenant=a',
      'https://example.com:8443/.well-known/oauth-protected-resource/mcp?tenant=a',
    ],
  ])('%s -> %s', (publicUrl, want) => {
    expect(protectedResourceMetadataUrl(new URL(publicUrl))).toBe(want);
  });
});

describe('bearerChallenge', () => {
  const resourceMetadata = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';

  it('without a token: resource_metadata and scope, no error (RFC 6750 §3)', () => {
    expect(bearerChallenge({ resourceMetadata, scope: ['pets:read', 'pets:write'] })).toBe(
      `Bearer scope="pets:read pets:write", resource_metadata="${resourceMetadata}"`,
    );
  });

  it('with a bad token: error and description', () => {
    expect(bearerChallenge({ resourceMetadata, error: 'invalid_token', errorDescription: 'token expired' })).toBe(
      `Bearer error="invalid_token", error_description="token expired", resource_metadata="${resourceMetadata}"`,
    );
  });

  it.each([
    ['a double quote', 'say "hi"', '"say \\"hi\\""'],
    ['a backslash', 'a\\b', '"a\\\\b"'],
    ['CR LF header injection', 'x\r\nSet-Cookie: a=b', '"xSet-Cookie: a=b"'],
    ['other controls and DEL', 'a\u0000b\tc\u007fd', '"abcd"'],
    ['non-ASCII', 'café ☕', '"caf "'],
    ['a quote trying to add a parameter', 'x", scope="admin', '"x\\", scope=\\"admin"'],
  ])('escapes %s in a quoted-string (RFC 9110 §5.6.4)', (_, description, quoted) => {
    expect(bearerChallenge({ resourceMetadata, error: 'invalid_token', errorDescription: description })).toBe(
      `Bearer error="invalid_token", error_description=${quoted}, resource_metadata="${resourceMetadata}"`,
    );
  });

  it('without metadata (API keys): the bare scheme, or only the error', () => {
    expect(bearerChallenge({})).toBe('Bearer');
    expect(bearerChallenge({ error: 'invalid_token' })).toBe('Bearer error="invalid_token"');
  });

  it('produces a value Node accepts as a header', async () => {
    const { validateHeaderValue } = await import('node:http');
    expect(() =>
      validateHeaderValue('www-authenticate', bearerChallenge({ resourceMetadata, errorDescription: '\r\n\u2028é"' })),
    ).not.toThrow();
  });
});
