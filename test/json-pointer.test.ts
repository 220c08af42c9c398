import { describe, expect, it } from 'vitest';
import {
  decodeFragmentToken,
  escapePointerToken,
  fragmentTokens,
  pointer,
  unescapePointerToken,
} from '../src/json-pointer.js';

describe('JSON pointer tokens (RFC 6901)', () => {
  it.each([
    ['pets', 'pets'],
    ['/pets/{id}', '~1pets~1{id}'],
    ['a~b', 'a~0b'],
    ['~1', '~01'],
    ['', ''],
  ])('%j escapes to %j and back', (token, escaped) => {
    expect(escapePointerToken(token)).toBe(escaped);
    expect(unescapePointerToken(escaped)).toBe(token);
  });

  it('builds a pointer from tokens', () => {
    expect(pointer('paths', '/pets/{id}', 'get', 0)).toBe('/paths/~1pets~1{id}/get/0');
    expect(pointer()).toBe('');
  });
});

describe('pointers in URI fragments (RFC 6901 §6)', () => {
  it.each([
    ['%7Bid%7D', '{id}'],
    ['a%2Fb', 'a/b'],
    ['~1pets%20all', '/pets all'],
    ['100%', '100%'],
  ])('token %j decodes to %j', (raw, want) => {
    expect(decodeFragmentToken(raw)).toBe(want);
  });

  it.each([
    ['', []],
    ['/', ['']],
    ['/components/schemas/Pet', ['components', 'schemas', 'Pet']],
    ['/paths/~1pets~1%7Bid%7D/get', ['paths', '/pets/{id}', 'get']],
  ])('fragment %j has tokens %j', (fragment, want) => {
    expect(fragmentTokens(fragment)).toEqual(want);
  });
});
