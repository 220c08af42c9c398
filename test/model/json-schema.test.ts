import { describe, expect, it } from 'vitest';
import { convertSchema } from '../../src/model/json-schema.js';
import { modelOfFixture, toolNamed } from './literal-document.js';

/** Converts with a refName that names a def after the last pointer token and records every ref it was asked for. */
function convert(schema: unknown, dialect: '3.0' | '3.1') {
  const refs: string[] = [];
  const out = convertSchema(schema, {
    dialect,
    refName: (ref) => {
      refs.push(ref);
      return ref.split('/').pop() as string;
    },
  });
  return { out, refs };
}

const PET = '#/components/schemas/Pet';

type Row = [string, { given: unknown; want: unknown; refs?: string[] }];

describe('convertSchema: OpenAPI 3.0 -> JSON Schema 2020-12', () => {
  const rows: Row[] = [
    ['nullable type -> type array', { given: { type: 'string', nullable: true }, want: { type: ['string', 'null'] } }],
    [
      'nullable enum also admits null',
      {
        given: { type: 'string', enum: ['a', 'b'], nullable: true },
        want: { type: ['string', 'null'], enum: ['a', 'b', null] },
      },
    ],
    ['nullable: false is dropped', { given: { type: 'integer', nullable: false }, want: { type: 'integer' } }],
    [
      'nullable without a type -> anyOf with null, annotations stay outside',
      {
        given: { description: 'An owner', allOf: [{ $ref: PET }], nullable: true },
        want: { description: 'An owner', anyOf: [{ allOf: [{ $ref: '#/$defs/Pet' }] }, { type: 'null' }] },
        refs: [PET],
      },
    ],
    [
      'exclusiveMinimum: true -> numeric exclusiveMinimum, minimum removed',
      { given: { type: 'number', minimum: 0, exclusiveMinimum: true }, want: { type: 'number', exclusiveMinimum: 0 } },
    ],
    [
      'exclusiveMaximum: false -> dropped, maximum kept',
      { given: { type: 'number', maximum: 10, exclusiveMaximum: false }, want: { type: 'number', maximum: 10 } },
    ],
    [
      'exclusiveMaximum: true without maximum -> dropped',
      { given: { type: 'number', exclusiveMaximum: true }, want: { type: 'number' } },
    ],
    [
      'example, examples, xml, externalDocs and x-* dropped; format, default, description kept',
      {
        given: {
          type: 'string',
          format: 'date',
          default: '2024-01-01',
          description: 'Day',
          example: '2024-02-02',
          xml: { name: 'day' },
          externalDocs: { url: 'https://example.com' },
          'x-internal': true,
        },
        want: { type: 'string', format: 'date', default: '2024-01-01', description: 'Day' },
      },
    ],
    ['$ref -> #/$defs/<name>', { given: { $ref: PET }, want: { $ref: '#/$defs/Pet' }, refs: [PET] }],
    [
      '$ref siblings are ignored in 3.0, so dropped',
      { given: { $ref: PET, description: 'ignored by 3.0' }, want: { $ref: '#/$defs/Pet' }, refs: [PET] },
    ],
    [
      'nullable $ref -> anyOf [$ref, null]',
      {
        given: { $ref: PET, nullable: true },
        want: { anyOf: [{ $ref: '#/$defs/Pet' }, { type: 'null' }] },
        refs: [PET],
      },
    ],
    ['type: file -> binary string', { given: { type: 'file' }, want: { type: 'string', format: 'binary' } }],
    [
      'rewrites apply at every depth; property names starting with x- are data, not extensions',
      {
        given: {
          type: 'object',
          required: ['x-rate'],
          properties: {
            'x-rate': { type: 'integer', minimum: 1, exclusiveMinimum: true, nullable: true },
            owner: { $ref: PET, nullable: true },
            tags: { type: 'array', items: { type: 'string', nullable: true, example: 'a' } },
          },
          additionalProperties: { type: 'boolean', 'x-note': 1 },
        },
        want: {
          type: 'object',
          required: ['x-rate'],
          properties: {
            'x-rate': { type: ['integer', 'null'], exclusiveMinimum: 1 },
            owner: { anyOf: [{ $ref: '#/$defs/Pet' }, { type: 'null' }] },
            tags: { type: 'array', items: { type: ['string', 'null'] } },
          },
          additionalProperties: { type: 'boolean' },
        },
        refs: [PET],
      },
    ],
  ];
  it.each(rows)('%s', (_name, { given, want, refs = [] }) => {
    const got = convert(given, '3.0');
    expect(got.out).toEqual(want);
    expect(got.refs).toEqual(refs);
  });
});

describe('convertSchema: OpenAPI 3.1 is JSON Schema 2020-12 already', () => {
  const rows: Row[] = [
    ['type arrays kept', { given: { type: ['string', 'null'] }, want: { type: ['string', 'null'] } }],
    [
      'numeric exclusive bounds kept',
      {
        given: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        want: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      },
    ],
    [
      'const, contentMediaType, prefixItems kept',
      {
        given: { type: 'array', prefixItems: [{ const: 'v1' }, { type: 'string', contentMediaType: 'image/png' }] },
        want: { type: 'array', prefixItems: [{ const: 'v1' }, { type: 'string', contentMediaType: 'image/png' }] },
      },
    ],
    [
      'nullable is not a 3.1 keyword: dropped, not applied',
      { given: { type: 'string', nullable: true }, want: { type: 'string' } },
    ],
    [
      'examples, $schema and x-* dropped',
      { given: { type: 'string', examples: ['a'], $schema: 'x', 'x-a': 1 }, want: { type: 'string' } },
    ],
    [
      '$ref siblings kept (2020-12 §8.2.3.1), the ref rewritten',
      {
        given: {
          $ref: PET,
          description: 'The pet',
          required: ['name'],
          properties: { name: { type: 'string' } },
          'x-a': 1,
        },
        want: {
          $ref: '#/$defs/Pet',
          description: 'The pet',
          required: ['name'],
          properties: { name: { type: 'string' } },
        },
        refs: [PET],
      },
    ],
  ];
  it.each(rows)('%s', (_name, { given, want, refs = [] }) => {
    const got = convert(given, '3.1');
    expect(got.out).toEqual(want);
    expect(got.refs).toEqual(refs);
  });
});

describe('convertSchema: composition below the top level', () => {
  const CAT = '#/components/schemas/Cat';
  const DOG = '#/components/schemas/Dog';
  const given = {
    type: 'object',
    properties: {
      pet: {
        oneOf: [{ $ref: CAT }, { $ref: DOG }],
        discriminator: { propertyName: 'kind', mapping: { cat: CAT, dog: DOG } },
      },
      either: { anyOf: [{ type: 'string' }, { type: 'integer', example: 1 }] },
      both: { allOf: [{ $ref: PET }, { type: 'object', properties: { age: { type: 'integer' } } }] },
    },
  };
  const want = {
    type: 'object',
    properties: {
      pet: {
        oneOf: [{ $ref: '#/$defs/Cat' }, { $ref: '#/$defs/Dog' }],
        discriminator: { propertyName: 'kind', mapping: { cat: '#/$defs/Cat', dog: '#/$defs/Dog' } },
      },
      either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      both: { allOf: [{ $ref: '#/$defs/Pet' }, { type: 'object', properties: { age: { type: 'integer' } } }] },
    },
  };
  it.each(['3.0', '3.1'] as const)(
    '%s: allOf/oneOf/anyOf kept, discriminator mapping rewritten to $defs',
    (dialect) => {
      const got = convert(given, dialect);
      expect(got.out).toEqual(want);
      expect([...new Set(got.refs)].sort()).toEqual([CAT, DOG, PET]);
    },
  );

  it('booleans stay booleans; a non-schema becomes the empty schema', () => {
    expect(convert(true, '3.1').out).toBe(true);
    expect(convert({ type: 'object', additionalProperties: false }, '3.0').out).toEqual({
      type: 'object',
      additionalProperties: false,
    });
    expect(convert(null, '3.1').out).toEqual({});
  });
});

describe('fixtures/openapi-3.0-nullable.yaml through the loader', () => {
  it('the whole 3.0 schema comes out as plain 2020-12', async () => {
    const built = await modelOfFixture('openapi-3.0-nullable.yaml');
    const reading = {
      type: 'object',
      required: ['value'],
      properties: {
        value: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        unit: { type: ['string', 'null'], enum: ['C', 'F', null] },
        note: { type: ['string', 'null'] },
        sensor: { anyOf: [{ $ref: '#/$defs/Sensor' }, { type: 'null' }] },
        location: { description: 'Where', anyOf: [{ allOf: [{ $ref: '#/$defs/Location' }] }, { type: 'null' }] },
      },
    };
    const tool = toolNamed(built, 'addReading');
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { body: { $ref: '#/$defs/Reading' } },
      required: ['body'],
      additionalProperties: false,
    });
    // The output schema loses its annotations (src/model/trim.ts); the shared Reading is an input too and keeps them.
    expect(tool.outputSchema).toEqual({
      ...reading,
      properties: { ...reading.properties, location: { anyOf: reading.properties.location.anyOf } },
    });
    expect(tool.defs).toEqual(['Location', 'Reading', 'Sensor']);
    expect(built.defs).toEqual({
      Location: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } } },
      Reading: reading,
      Sensor: { type: 'object', properties: { id: { type: 'string' } } },
    });
    expect(built.server.defaultBaseUrl).toBe('https://nullable.example.com');
    expect(built.diagnostics).toEqual([]);
  });
});
