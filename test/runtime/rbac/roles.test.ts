import { describe, expect, it } from 'vitest';
import { readClaim, roleClaimPath, rolesFromClaims } from '../../../templates/runtime/rbac/roles.js';

describe('roles from token claims', () => {
  it.each([
    ['keycloak realm roles', 'keycloak', { realm_access: { roles: ['admin', 'user'] } }, ['admin', 'user']],
    [
      'keycloak client roles',
      'keycloak-client:pets-api',
      { resource_access: { 'pets-api': { roles: ['writer'] }, other: { roles: ['x'] } } },
      ['writer'],
    ],
    [
      'keycloak client id with dots',
      'keycloak-client:my.app',
      { resource_access: { 'my.app': { roles: ['writer'] } } },
      ['writer'],
    ],
    ['Microsoft Entra ID app roles', 'entra', { roles: ['Pets.Write'] }, ['Pets.Write']],
    ['Okta groups', 'okta', { groups: ['Everyone', 'admins'] }, ['Everyone', 'admins']],
    ['Amazon Cognito groups', 'cognito', { 'cognito:groups': ['ops'] }, ['ops']],
    [
      'Auth0 namespaced claim',
      'auth0:https://pets.example.com/',
      { 'https://pets.example.com/roles': ['vet'] },
      ['vet'],
    ],
    [
      'a URL-shaped claim named directly',
      'https://pets.example.com/roles',
      { 'https://pets.example.com/roles': ['vet'] },
      ['vet'],
    ],
    ['a dotted path', 'app.auth.roles', { app: { auth: { roles: ['r1'] } } }, ['r1']],
    ['a space-separated string', 'roles', { roles: 'b a  a' }, ['a', 'b']],
    ['a missing claim', 'keycloak', { sub: 'x' }, []],
    ['a claim of the wrong type', 'roles', { roles: { admin: true } }, []],
    ['non-string entries dropped', 'roles', { roles: ['a', 1, null, ''] }, ['a']],
  ])('%s', (_name, spec, claims, roles) => {
    expect(rolesFromClaims(claims, spec)).toEqual(roles);
  });

  it('does not read inherited properties', () => {
    expect(readClaim({}, 'constructor')).toBeUndefined();
    expect(readClaim({ a: {} }, 'a.toString')).toBeUndefined();
  });

  it('maps presets to claim paths', () => {
    expect(roleClaimPath('keycloak')).toBe('realm_access.roles');
    expect(roleClaimPath('realm_access.roles')).toBe('realm_access.roles');
  });
});
