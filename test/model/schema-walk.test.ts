import { describe, expect, it } from 'vitest';
import { mapSchema, mapSubschemas, NOT_SUBSCHEMAS } from '../../src/model/schema-walk.js';

const mark = (schema: unknown) => ({ seen: schema });

describe('mapSubschemas: the keywords that hold subschemas', () => {
  it.each([
    ['properties', { a: 1, b: 2 }, { a: { seen: 1 }, b: { seen: 2 } }],
    ['$defs', { A: true }, { A: { seen: true } }],
    ['items', { type: 'string' }, { seen: { type: 'string' } }],
    ['items', [1, 2], [{ seen: 1 }, { seen: 2 }]],
    ['additionalProperties', false, { seen: false }],
    ['anyOf', [1], [{ seen: 1 }]],
    ['prefixItems', [1], [{ seen: 1 }]],
  ])('%s', (key, value, want) => {
    expect(mapSubschemas(key, value, mark)).toEqual(want);
  });

  it.each([
    ['const', { type: 'string' }],
    ['enum', [{ type: 'string' }]],
    ['default', {}],
    ['required', ['a']],
    ['properties', ['not', 'a', 'map']],
    ['allOf', { not: 'a list' }],
  ])('%s with %j holds none', (key, value) => {
    expect(mapSubschemas(key, value, mark)).toBe(NOT_SUBSCHEMAS);
  });
});

describe('mapSchema', () => {
  it('visits every keyword of every schema object, data left alone', () => {
    const schema = {
      description: 'root',
      properties: { description: { type: 'string', description: 'a property named description' } },
      const: { description: 'data' },
      allOf: [{ description: 'member' }],
    };
    expect(mapSchema(schema, (key, value) => (key === 'description' ? undefined : value))).toEqual({
      properties: { description: { type: 'string' } },
      const: { description: 'data' },
      allOf: [{}],
    });
  });
});
