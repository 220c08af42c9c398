import { describe, expect, test } from 'vitest';
import { hasExternalRefs, rewriteAliasRefs } from '../../src/load/local-refs.js';

const schemas = (extra: Record<string, unknown>) => ({ openapi: '3.0.3', components: { schemas: extra } });
const refAt = (doc: unknown, ...path: string[]) => path.reduce((node: any, key) => node[key], doc).$ref as string;

/** A single file skips the bundler; these are the rewrites the bundler used to make (json-schema-ref-parser 15). */
describe('rewriteAliasRefs', () => {
  test('a $ref to a $ref-only alias points where the alias leads', () => {
    const doc = schemas({
      Job: { $ref: '#/components/schemas/JobBase' },
      JobBase: { type: 'object' },
      Use: { $ref: '#/components/schemas/Job' },
    });
    rewriteAliasRefs(doc, 'openapi3');
    expect(refAt(doc, 'components', 'schemas', 'Use')).toBe('#/components/schemas/JobBase');
  });

  test('chains of aliases are followed to the end', () => {
    const doc = schemas({
      A: { $ref: '#/components/schemas/B' },
      B: { $ref: '#/components/schemas/C' },
      C: { type: 'string' },
      Use: { $ref: '#/components/schemas/A' },
    });
    rewriteAliasRefs(doc, 'openapi3');
    expect(refAt(doc, 'components', 'schemas', 'Use')).toBe('#/components/schemas/C');
  });

  test('a pointer through an alias on the way is moved to the real place', () => {
    const doc = schemas({
      A: { $ref: '#/components/schemas/B' },
      B: { properties: { id: { type: 'string' } } },
      Use: { $ref: '#/components/schemas/A/properties/id' },
    });
    rewriteAliasRefs(doc, 'openapi3');
    expect(refAt(doc, 'components', 'schemas', 'Use')).toBe('#/components/schemas/B/properties/id');
  });

  test('a $ref with sibling keys extends its target and is not followed', () => {
    const doc = schemas({
      A: { $ref: '#/components/schemas/B', description: 'x' },
      B: { type: 'string' },
      Use: { $ref: '#/components/schemas/A' },
    });
    rewriteAliasRefs(doc, 'openapi3');
    expect(refAt(doc, 'components', 'schemas', 'Use')).toBe('#/components/schemas/A');
  });

  test('dangling and circular aliases are left as written', () => {
    const doc = schemas({
      A: { $ref: '#/components/schemas/A' },
      Use: { $ref: '#/components/schemas/A' },
      Gone: { $ref: '#/components/schemas/Nope' },
    });
    rewriteAliasRefs(doc, 'openapi3');
    expect(refAt(doc, 'components', 'schemas', 'Use')).toBe('#/components/schemas/A');
    expect(refAt(doc, 'components', 'schemas', 'Gone')).toBe('#/components/schemas/Nope');
  });

  test('$refs inside examples are data and stay', () => {
    const doc = schemas({
      A: { $ref: '#/components/schemas/B' },
      B: { type: 'object', example: { $ref: '#/components/schemas/A' } },
    });
    rewriteAliasRefs(doc, 'openapi3');
    expect(refAt(doc, 'components', 'schemas', 'B', 'example')).toBe('#/components/schemas/A');
  });
});

describe('hasExternalRefs', () => {
  test('local refs only: no bundling needed', () => {
    expect(hasExternalRefs(schemas({ A: { $ref: '#/components/schemas/B' }, B: {} }), 'openapi3')).toBe(false);
  });
  test('a $ref to another file needs the bundler', () => {
    expect(hasExternalRefs(schemas({ A: { $ref: './b.yaml#/B' } }), 'openapi3')).toBe(true);
  });
  test('an external $ref inside an example is data and does not count', () => {
    expect(hasExternalRefs(schemas({ A: { type: 'object', example: { $ref: './b.yaml' } } }), 'openapi3')).toBe(false);
  });
});
