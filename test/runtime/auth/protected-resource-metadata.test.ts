import { describe, expect, it } from 'vitest';
import { protectedResourceMetadata } from '../../../templates/runtime/auth/protected-resource-metadata.js';

describe('protectedResourceMetadata (RFC 9728 §2)', () => {
  it('builds the document with header-only bearer tokens', () => {
    expect(
      protectedResourceMetadata({
        resource: 'https://mcp.example.com/mcp',
        authorizationServers: ['https://auth.example.com'],
        scopesSupported: ['pets:read', 'pets:write', 'pets:read'],
        resourceName: 'Pets',
      }),
    ).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://auth.example.com'],
      scopes_supported: ['pets:read', 'pets:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Pets',
    });
  });

  it('never advertises offline_access, and omits an empty scope list', () => {
    const document = protectedResourceMetadata({
      resource: 'https://mcp.example.com/mcp',
      authorizationServers: ['https://auth.example.com'],
      scopesSupported: ['offline_access', ''],
    });
    expect(document).not.toHaveProperty('scopes_supported');
    expect(JSON.stringify(document)).not.toContain('offline_access');
  });
});
