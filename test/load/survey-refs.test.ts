import { describe, expect, test } from 'vitest';
import { danglingRefsAt, findDanglingRefs } from '../../src/load/check-refs.js';
import { rewriteAliasRefs, rewriteAliasRefsAt } from '../../src/load/local-refs.js';
import {
  PARKED_REF_KEY,
  parkDataRefs,
  referenceSites,
  surveyRefs,
  unparkAt,
  unparkDataRefs,
} from '../../src/load/ref-positions.js';

/** A document with a data `$ref` (in an example), an alias, a dangling `$ref` and a sound one. */
function doc(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    paths: {
      '/a': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Alias' },
                  example: { $ref: '#/not/a/reference', keep: 1 },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Alias: { $ref: '#/components/schemas/Real' },
        Real: { type: 'object', properties: { next: { $ref: '#/components/schemas/Missing' } } },
      },
    },
  };
}

describe('surveyRefs: one walk for park + external + reference sites (issue 8)', () => {
  test('parks the data $ref in place, keeping key order, and lists the reference $refs in document order', () => {
    const root = doc();
    const survey = surveyRefs(root, 'openapi3', 'tree');
    expect(survey.external).toBe(false);
    expect(survey.refs.map((s) => s.holder['$ref'])).toEqual([
      '#/components/schemas/Alias',
      '#/components/schemas/Real',
      '#/components/schemas/Missing',
    ]);
    expect(survey.parked).toHaveLength(1);
    expect(Object.keys(survey.parked[0]!)).toEqual([PARKED_REF_KEY, 'keep']);
    // The same document parkDataRefs leaves.
    const parked = doc();
    parkDataRefs(parked, 'openapi3', 'tree');
    expect(root).toEqual(parked);
  });

  test('says external when a reference $ref names another file, not when only data does', () => {
    const external = { components: { schemas: { A: { $ref: './b.yaml#/B' } } } };
    expect(surveyRefs(external, 'openapi3').external).toBe(true);
    const dataOnly = { components: { schemas: { A: { type: 'object', example: { $ref: './b.yaml' } } } } };
    expect(surveyRefs(dataOnly, 'openapi3').external).toBe(false);
  });

  test('unparkAt restores exactly what unparkDataRefs restores, without a walk', () => {
    const a = doc();
    const survey = surveyRefs(a, 'openapi3', 'tree');
    unparkAt(survey.parked);
    const b = doc();
    parkDataRefs(b, 'openapi3', 'tree');
    unparkDataRefs(b);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(doc()));
  });

  test('rewriteAliasRefsAt and danglingRefsAt on the surveyed sites give what the walking versions give', () => {
    const surveyed = doc();
    const sites = surveyRefs(surveyed, 'openapi3', 'tree').refs;
    rewriteAliasRefsAt(surveyed, sites);
    const walked = doc();
    parkDataRefs(walked, 'openapi3', 'tree');
    rewriteAliasRefs(walked, 'openapi3');
    expect(JSON.stringify(surveyed)).toBe(JSON.stringify(walked));
    expect(
      (
        surveyed as {
          paths: { '/a': { get: { responses: { '200': { content: Record<string, { schema: unknown }> } } } } };
        }
      ).paths['/a'].get.responses['200'].content['application/json']!.schema,
    ).toEqual({ $ref: '#/components/schemas/Real' });
    const dangling = danglingRefsAt(surveyed, sites, 'spec.json');
    expect(dangling).toEqual(findDanglingRefs(walked, 'openapi3', 'spec.json'));
    expect(dangling.map((d) => [d.code, d.pointer])).toEqual([
      ['REF_UNRESOLVED', '/components/schemas/Real/properties/next'],
    ]);
  });

  test('referenceSites skips data $refs', () => {
    const root = doc();
    expect(referenceSites(root, 'openapi3').map((s) => '/' + s.tokens.join('/'))).toEqual([
      '/paths//a/get/responses/200/content/application/json/schema',
      '/components/schemas/Alias',
      '/components/schemas/Real/properties/next',
    ]);
  });
});
