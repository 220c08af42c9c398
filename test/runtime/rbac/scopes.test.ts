import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkScopes, expandScopes, satisfiesScopes } from '../../../templates/runtime/rbac/scopes.js';

const implies = { 'pets:admin': ['pets:read', 'pets:write'], 'pets:write': ['pets:read'] };

describe('checkScopes', () => {
  it.each([
    ['any authenticated caller', [[]], [], true],
    ['one alternative, all held', [['a', 'b']], ['a', 'b', 'c'], true],
    ['one alternative, one missing', [['a', 'b']], ['a'], false],
    ['second alternative held', [['a', 'b'], ['c']], ['c'], true],
    ['no alternative held', [['a'], ['b']], ['c'], false],
  ] as const)('%s', (_name, scopes, granted, ok) => {
    expect(checkScopes({ scopes: scopes.map((a) => [...a]) }, new Set(granted)).ok).toBe(ok);
  });

  it('names the alternative missing the fewest scopes, in full', () => {
    const result = checkScopes(
      {
        scopes: [
          ['a', 'b', 'c'],
          ['x', 'y'],
        ],
      },
      new Set(['a', 'b']),
    );
    expect(result).toEqual({ ok: false, required: ['a', 'b', 'c'], missing: ['c'] });
  });

  it('on a tie in what is missing, prefers the smaller alternative', () => {
    const result = checkScopes({ scopes: [['a', 'b', 'q'], ['z']] }, new Set(['a', 'b']));
    expect(result).toEqual({ ok: false, required: ['z'], missing: ['z'] });
  });

  it('fails closed on an empty requirement list', () => {
    expect(checkScopes({ scopes: [] }, new Set(['a'])).ok).toBe(false);
  });
});

describe('expandScopes', () => {
  it('adds what a granted scope implies, and only that', () => {
    expect([...expandScopes(['pets:write'], implies)].sort()).toEqual(['pets:read', 'pets:write']);
    expect([...expandScopes(['pets:read'], implies)]).toEqual(['pets:read']);
  });

  it('does not follow inherited properties (a scope named __proto__ or constructor)', () => {
    expect([...expandScopes(['constructor', '__proto__'], implies)].sort()).toEqual(['__proto__', 'constructor']);
  });
});

describe('satisfiesScopes (the allocation-free first question of checkScopes)', () => {
  it('answers as checkScopes does, for any requirement and grant', () => {
    const scope = fc.constantFrom('a', 'b', 'c', 'd', '');
    fc.assert(
      fc.property(fc.array(fc.array(scope, { maxLength: 3 }), { maxLength: 4 }), fc.array(scope), (scopes, granted) => {
        const have = new Set(granted);
        expect(satisfiesScopes({ scopes }, have)).toBe(checkScopes({ scopes }, have).ok);
      }),
    );
  });

  it('fails closed on an empty list of alternatives', () => {
    expect(satisfiesScopes({ scopes: [] }, new Set(['a']))).toBe(false);
  });
});
