import { describe, expect, it } from 'vitest';
import { isJsonMediaType, mediaTypeEssence, mediaTypeParameter } from '../../templates/runtime/http/media-type.js';

describe('mediaTypeEssence', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON; charset=UTF-8', 'application/json'],
    ['  text/plain ;format=flowed', 'text/plain'],
    ['*/*', '*/*'],
    ['', ''],
    [null, ''],
    [undefined, ''],
  ])('%j -> %j', (value, want) => {
    expect(mediaTypeEssence(value)).toBe(want);
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['application/problem+json', true],
    ['application/vnd.api+json', true],
    ['application/json-seq', false],
    ['application/jsonl', false],
    ['text/json', false],
    ['application/xml', false],
  ])('%s -> %s', (essence, want) => {
    expect(isJsonMediaType(essence)).toBe(want);
  });
});

describe('mediaTypeParameter', () => {
  it.each([
    ['text/plain; charset=utf-8', 'utf-8'],
    ['text/plain;charset=ISO-8859-1', 'ISO-8859-1'],
    ['text/plain; CHARSET="latin1"', 'latin1'],
    ['text/plain; format=flowed; charset=utf-16le', 'utf-16le'],
    ['text/plain; title="a;charset=koi8-r"; charset=utf-8', 'utf-8'],
    ['text/plain; title="a \\"q\\""; charset=utf-8', 'utf-8'],
    ['text/plain; charset=utf-8; charset=latin1', 'utf-8'],
    ['text/plain; junk; charset=utf-8', 'utf-8'],
    ['text/plain', undefined],
    ['text/plain; charset=', undefined],
    [null, undefined],
  ])('charset of %j -> %j', (value, want) => {
    expect(mediaTypeParameter(value, 'charset')).toBe(want);
  });

  it('unescapes a quoted string', () => {
    expect(mediaTypeParameter('text/plain; title="a \\"b\\" c"', 'title')).toBe('a "b" c');
  });
});
