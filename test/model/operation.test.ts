import { describe, expect, it } from 'vitest';
import type { HttpMethod, ToolAnnotations } from '../../templates/runtime/mcp/types.js';
import { onlyTool } from './literal-document.js';

const PET = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer' }, tag: { type: 'string', nullable: true } },
};

/** GET /r with these responses (3.0 unless told). */
function respond(responses: Record<string, unknown>, dialect: '3.0' | '3.1' = '3.0') {
  const tool = onlyTool(
    {
      paths: { '/r': { get: { operationId: 'r', responses } } },
      components: {
        schemas: { Pet: PET, Pets: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } },
        responses: { PetOk: ok({ $ref: '#/components/schemas/Pet' }) },
      },
    },
    dialect,
  );
  return { outputSchema: tool.outputSchema, accept: tool.http.accept, defs: tool.defs };
}
const ok = (schema: unknown, mediaType = 'application/json') => ({
  description: 'OK',
  content: { [mediaType]: { schema } },
});
const PET_OUT = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer' }, tag: { type: ['string', 'null'] } },
};

describe('output schema: only from a 2xx JSON response whose schema is an object', () => {
  const rows: [
    string,
    {
      given: Record<string, unknown>;
      dialect?: '3.0' | '3.1';
      want: { outputSchema?: unknown; accept?: string; defs: string[] };
    },
  ][] = [
    [
      'an inline object',
      {
        given: { '200': ok({ type: 'object', properties: { n: { type: 'integer' } } }) },
        want: {
          outputSchema: { type: 'object', properties: { n: { type: 'integer' } } },
          accept: 'application/json',
          defs: [],
        },
      },
    ],
    [
      'a $ref to an object: inlined at the root',
      {
        given: { '200': ok({ $ref: '#/components/schemas/Pet' }) },
        want: { outputSchema: PET_OUT, accept: 'application/json', defs: [] },
      },
    ],
    [
      'a $ref response',
      {
        given: { '200': { $ref: '#/components/responses/PetOk' } },
        want: { outputSchema: PET_OUT, accept: 'application/json', defs: [] },
      },
    ],
    [
      'properties without a type: made an object',
      {
        given: { '200': ok({ properties: { n: { type: 'integer' } } }) },
        want: {
          outputSchema: { properties: { n: { type: 'integer' } }, type: 'object' },
          accept: 'application/json',
          defs: [],
        },
      },
    ],
    [
      'the first 2xx in status order (201 before 2XX)',
      {
        given: { '2XX': ok({ type: 'string' }), '201': ok(PET), '404': ok(PET) },
        want: { outputSchema: PET_OUT, accept: 'application/json', defs: [] },
      },
    ],
    [
      'a +json media type',
      {
        given: { '200': ok(PET, 'application/hal+json') },
        want: { outputSchema: PET_OUT, accept: 'application/hal+json', defs: [] },
      },
    ],
    [
      'a JSON media type with parameters',
      {
        given: { '200': ok(PET, 'application/json; charset=utf-8') },
        want: { outputSchema: PET_OUT, accept: 'application/json; charset=utf-8', defs: [] },
      },
    ],
    [
      'application/json-seq (RFC 7464) is a sequence, not one JSON text: no output schema',
      {
        given: { '200': ok(PET, 'application/json-seq') },
        want: { accept: 'application/json-seq', defs: [] },
      },
    ],
    [
      'JSON preferred over XML for accept and schema',
      {
        given: {
          '200': {
            description: 'OK',
            content: { 'application/xml': { schema: PET }, 'application/json': { schema: PET } },
          },
        },
        want: { outputSchema: PET_OUT, accept: 'application/json', defs: [] },
      },
    ],
    [
      'an array: none, and no defs needed for it',
      { given: { '200': ok({ $ref: '#/components/schemas/Pets' }) }, want: { accept: 'application/json', defs: [] } },
    ],
    [
      '3.0 nullable object: none',
      { given: { '200': ok({ ...PET, nullable: true }) }, want: { accept: 'application/json', defs: [] } },
    ],
    [
      '3.1 object-or-null: none',
      {
        dialect: '3.1',
        given: { '200': ok({ type: ['object', 'null'] }) },
        want: { accept: 'application/json', defs: [] },
      },
    ],
    [
      'a union: none',
      { given: { '200': ok({ oneOf: [PET, { type: 'string' }] }) }, want: { accept: 'application/json', defs: [] } },
    ],
    ['a string: none', { given: { '200': ok({ type: 'string' }) }, want: { accept: 'application/json', defs: [] } }],
    [
      'text only: none, accept the text',
      { given: { '200': ok({ type: 'object' }, 'text/csv') }, want: { accept: 'text/csv', defs: [] } },
    ],
    [
      '200 without content wins over a later 201: none',
      { given: { '200': { description: 'OK' }, '201': ok(PET) }, want: { defs: [] } },
    ],
    ['errors only: none', { given: { '400': ok(PET), default: ok(PET) }, want: { defs: [] } }],
  ];
  it.each(rows)('%s', (_name, { given, dialect, want }) => {
    const got = respond(given, dialect);
    expect(got).toEqual({ outputSchema: undefined, accept: undefined, ...want });
  });
});

describe('annotations from the HTTP method (RFC 9110 §9.2), defaults that read the same when absent left out', () => {
  const safe = { readOnlyHint: true, openWorldHint: true };
  const rows: [HttpMethod, ToolAnnotations][] = [
    ['GET', safe],
    ['HEAD', safe],
    ['OPTIONS', safe],
    ['TRACE', safe],
    ['POST', { destructiveHint: false, openWorldHint: true }],
    ['PATCH', { destructiveHint: false, openWorldHint: true }],
    ['PUT', { destructiveHint: true, idempotentHint: true, openWorldHint: true }],
    ['DELETE', { destructiveHint: true, idempotentHint: true, openWorldHint: true }],
  ];
  it.each(rows)('%s', (method, want) => {
    const tool = onlyTool({
      paths: { '/x': { [method.toLowerCase()]: { responses: { '200': { description: 'OK' } } } } },
    });
    expect(tool.http.method).toBe(method);
    expect(tool.annotations).toEqual(want);
  });
});

describe('title, description, tags, source', () => {
  const rows: [
    string,
    {
      given: Record<string, unknown>;
      want: { title?: string; description: string; annotationsTitle?: string; tags: string[] };
    },
  ][] = [
    [
      'summary is the title and leads the description (hosts may show a model no title), trimmed',
      {
        given: { summary: ' List pets ', description: '\nAll of them.\n', tags: ['pets', 7] },
        want: { title: 'List pets', description: 'List pets\n\nAll of them.', tags: ['pets'] },
      },
    ],
    [
      'a description that opens with the summary does not say it twice',
      {
        given: { summary: 'List pets', description: 'List pets.\n\nAll of them.' },
        want: { title: 'List pets', description: 'List pets.\n\nAll of them.', tags: [] },
      },
    ],
    [
      'a description that only repeats the summary says it once',
      {
        given: { summary: 'List pets', description: 'List pets.' },
        want: { title: 'List pets', description: 'List pets.', tags: [] },
      },
    ],
    [
      'only a summary: the description says it too (hosts may show a model no title)',
      { given: { summary: 'List pets' }, want: { title: 'List pets', description: 'List pets', tags: [] } },
    ],
    ['no summary: no title', { given: { description: 'Only this.' }, want: { description: 'Only this.', tags: [] } }],
    ['nothing: METHOD /path', { given: {}, want: { description: 'GET /pets/{id}', tags: [] } }],
    [
      'deprecated is said first',
      { given: { summary: 'Old', deprecated: true }, want: { title: 'Old', description: 'Deprecated. Old', tags: [] } },
    ],
  ];
  it.each(rows)('%s', (_name, { given, want }) => {
    const tool = onlyTool({
      paths: { '/pets/{id}': { get: { ...given, responses: { '200': { description: 'OK' } } } } },
    });
    expect({
      title: tool.title,
      description: tool.description,
      annotationsTitle: tool.annotations.title,
      tags: tool.tags,
    }).toEqual({
      title: undefined,
      annotationsTitle: undefined,
      ...want,
    });
    expect(tool.source).toBe('/paths/~1pets~1{id}/get');
  });
});
