import { describe, expect, it } from 'vitest';
import { findDanglingRefs, resolvePointer } from '../../src/load/check-refs.js';
import { forEachRef, parkDataRefs, unparkDataRefs } from '../../src/load/ref-positions.js';

function sites(doc: unknown, kind: 'swagger2' | 'openapi3' = 'openapi3'): [string, boolean][] {
  const out: [string, boolean][] = [];
  forEachRef(doc, kind, (s) => out.push(['/' + s.tokens.join('/'), s.inData]));
  return out;
}

describe('forEachRef: reference or data', () => {
  const cases: [string, { doc: unknown; kind?: 'swagger2' | 'openapi3'; want: [string, boolean][] }][] = [
    [
      'a schema $ref',
      { doc: { components: { schemas: { A: { $ref: '#/x' } } } }, want: [['/components/schemas/A', false]] },
    ],
    ['inside example', { doc: { example: { $ref: '#/x' } }, want: [['/example', true]] }],
    [
      'inside default, enum and const',
      {
        doc: { default: { $ref: '#/a' }, enum: [{ $ref: '#/b' }], const: { $ref: '#/c' } },
        want: [
          ['/default', true],
          ['/enum/0', true],
          ['/const', true],
        ],
      },
    ],
    ['inside an extension', { doc: { 'x-data': { deep: { $ref: '#/x' } } }, want: [['/x-data/deep', true]] }],
    [
      'an Example Object $ref vs its value',
      {
        doc: { examples: { a: { $ref: '#/e' }, b: { value: { $ref: '#/v' } } } },
        want: [
          ['/examples/a', false],
          ['/examples/b/value', true],
        ],
      },
    ],
    ['JSON Schema examples array', { doc: { examples: [{ $ref: '#/x' }] }, want: [['/examples/0', true]] }],
    [
      'Swagger 2.0 response examples',
      {
        doc: { examples: { 'application/json': { $ref: '#/x' } } },
        kind: 'swagger2',
        want: [['/examples/application/json', true]],
      },
    ],
    [
      'properties named example, default and x-y are schemas',
      {
        doc: { properties: { example: { $ref: '#/a' }, default: { $ref: '#/b' }, 'x-y': { $ref: '#/c' } } },
        want: [
          ['/properties/example', false],
          ['/properties/default', false],
          ['/properties/x-y', false],
        ],
      },
    ],
    ['a property named $ref is a schema', { doc: { properties: { $ref: { type: 'string' } } }, want: [] }],
    [
      'paths extensions are data',
      {
        doc: { paths: { 'x-meta': { $ref: '#/x' }, '/a': { $ref: '#/p' } } },
        want: [
          ['/paths/x-meta', true],
          ['/paths//a', false],
        ],
      },
    ],
  ];
  it.each(cases)('%s', (_name, { doc, kind, want }) => {
    expect(sites(doc, kind)).toEqual(want);
  });
});

describe('parkDataRefs / unparkDataRefs', () => {
  it('parks only local data refs and restores them in key order', () => {
    const doc = { example: { a: 1, $ref: '#/x', b: 2 }, 'x-file': { $ref: './ex.json' }, schema: { $ref: '#/s' } };
    parkDataRefs(doc, 'openapi3');
    expect(Object.keys(doc.example)).not.toContain('$ref');
    expect(doc['x-file']).toEqual({ $ref: './ex.json' });
    expect(doc.schema).toEqual({ $ref: '#/s' });
    unparkDataRefs(doc);
    expect(Object.keys(doc.example)).toEqual(['a', '$ref', 'b']);
  });
});

describe('findDanglingRefs', () => {
  it('reports every dangling reference with its pointer, skipping data', () => {
    const doc = {
      components: {
        schemas: {
          A: { $ref: '#/components/schemas/B' },
          'a/b': { type: 'string' },
          C: { $ref: '#/components/schemas/a~1b' },
        },
      },
      paths: { '/x': { get: { responses: { '200': { $ref: 'other.yaml#/R' } } } } },
      'x-ignored': { $ref: '#/nope' },
    };
    expect(findDanglingRefs(doc, 'openapi3', 'spec.yaml').map((d) => [d.code, d.pointer])).toEqual([
      ['REF_UNRESOLVED', '/components/schemas/A'],
      ['REF_UNRESOLVED', '/paths/~1x/get/responses/200'],
    ]);
  });

  it('caps the list and counts the rest', () => {
    const schemas = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`S${i}`, { $ref: `#/missing/${i}` }]));
    const found = findDanglingRefs({ components: { schemas } }, 'openapi3', 'spec.yaml', undefined, 20);
    expect(found).toHaveLength(21);
    expect(found[20]?.message).toMatch(/10 more/);
  });

  it('resolves percent-encoded and escaped pointer tokens', () => {
    const doc = { paths: { '/a/{id}': { get: { ok: true } } } };
    expect(resolvePointer(doc, '/paths/~1a~1%7Bid%7D/get')).toEqual({ ok: true });
    expect(resolvePointer(doc, '/paths/~1a~1{id}/get/ok')).toBe(true);
    expect(resolvePointer(doc, '/paths/nope')).toBeUndefined();
  });
});
