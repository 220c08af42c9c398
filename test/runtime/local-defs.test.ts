import { describe, expect, it } from 'vitest';
import { defNamesInJson, localDefName, reachableDefNames } from '../../templates/runtime/mcp/local-defs.js';

describe('localDefName: the definition a $ref names', () => {
  it.each([
    ['#/$defs/Pet', 'Pet'],
    ['#/$defs/a~1b', 'a/b'],
    ['#/$defs/a~01', 'a~1'],
    ['#/components/schemas/Pet', undefined],
    ['https://example.com/s.json#/$defs/Pet', undefined],
    [42, undefined],
    [undefined, undefined],
  ])('%j -> %j', (ref, want) => {
    expect(localDefName(ref)).toBe(want);
  });
});

describe('defNamesInJson', () => {
  it('finds every reference in the text, unescaped, repeats kept', () => {
    const text = JSON.stringify({ a: { $ref: '#/$defs/A' }, b: [{ $ref: '#/$defs/x~1y' }, { $ref: '#/$defs/A' }] });
    expect(defNamesInJson(text)).toEqual(['A', 'x/y', 'A']);
  });
});

describe('reachableDefNames', () => {
  it('follows definitions through definitions, once each, cycles included', () => {
    const defs = {
      A: { properties: { b: { $ref: '#/$defs/B' } } },
      B: { items: { $ref: '#/$defs/A' } },
      C: { type: 'string' },
    };
    expect(reachableDefNames([{ $ref: '#/$defs/A' }], defs)).toEqual(new Set(['A', 'B']));
  });

  it('names a missing definition without following it', () => {
    expect(reachableDefNames([{ $ref: '#/$defs/Gone' }, true], {})).toEqual(new Set(['Gone']));
  });
});
