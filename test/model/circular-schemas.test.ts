import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../src/model/schema-registry.js';
import { model, modelOfFixture, operation, toolNamed } from './literal-document.js';

const NODE_WANT = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    children: { type: 'array', items: { $ref: '#/$defs/Node' } },
  },
};
const A_WANT = { type: 'object', properties: { b: { $ref: '#/$defs/B' } } };
const B_WANT = { type: 'object', properties: { a: { $ref: '#/$defs/A' } } };

const schemas = {
  Node: {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
  },
  A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
  B: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } },
  Unused: { type: 'string' },
};
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const document = {
  paths: {
    '/tree': {
      get: operation({
        operationId: 'getTree',
        responses: { '200': { description: 'OK', ...json({ $ref: '#/components/schemas/Node' }) } },
      }),
      put: operation({
        operationId: 'putTree',
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/Node' }) },
      }),
    },
    '/pairs': {
      post: operation({
        operationId: 'createPair',
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/A' }) },
      }),
    },
    '/b': {
      get: operation({
        operationId: 'getB',
        parameters: [
          {
            name: 'filter',
            in: 'query',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/B' } } },
          },
        ],
      }),
    },
  },
  components: { schemas },
};

describe('circular schemas stay $refs with a finite $defs closure', () => {
  it.each(['3.0', '3.1'] as const)(
    '%s: every tool lists the closure of what it reaches, nothing expanded',
    (dialect) => {
      const built = model(document, dialect);
      const want: [string, { defs: string[] }][] = [
        ['getTree', { defs: ['Node'] }],
        ['putTree', { defs: ['Node'] }],
        ['createPair', { defs: ['A', 'B'] }],
        ['getB', { defs: ['A', 'B'] }],
      ];
      for (const [name, { defs }] of want) expect(toolNamed(built, name).defs, name).toEqual(defs);
      expect(built.defs).toEqual({ A: A_WANT, B: B_WANT, Node: NODE_WANT });
      expect(Object.keys(built.defs)).toEqual(['A', 'B', 'Node']);
    },
  );

  it('a recursive response root is inlined once; the recursion below it stays a $ref', () => {
    expect(toolNamed(model(document), 'getTree').outputSchema).toEqual(NODE_WANT);
  });

  it('a recursive body stays a $ref under `body`', () => {
    const tool = toolNamed(model(document), 'putTree');
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { body: { $ref: '#/$defs/Node' } },
      required: ['body'],
      additionalProperties: false,
    });
  });

  it('fixtures/circular-schemas.yaml through the loader', async () => {
    const built = await modelOfFixture('circular-schemas.yaml');
    expect(built.tools.map((t) => [t.name, t.defs])).toEqual([
      ['createPair', ['A', 'B']],
      ['getTree', ['Node']],
    ]);
    expect(toolNamed(built, 'getTree').outputSchema).toEqual(NODE_WANT);
    expect(toolNamed(built, 'createPair').inputSchema.properties).toEqual({ body: { $ref: '#/$defs/A' } });
    expect(built.defs).toEqual({ A: A_WANT, B: B_WANT, Node: NODE_WANT });
    expect(built.diagnostics).toEqual([]);
  });
});

describe('SchemaRegistry: stable $defs names', () => {
  const doc = {
    components: {
      schemas: {
        Pet: { type: 'object', properties: { owner: { type: 'object', properties: { id: { type: 'integer' } } } } },
        'Pet v2': { type: 'string' },
        Pet_v2: { type: 'integer' },
      },
    },
    paths: {
      '/x': {
        get: {
          parameters: [
            { name: 'a', in: 'query', schema: { $ref: '#/components/schemas/Pet v2' } },
            { name: 'b', in: 'query', schema: { $ref: '#/components/schemas/Pet_v2' } },
            { name: 'c', in: 'query', schema: { $ref: '#/components/schemas/Pet/properties/owner' } },
          ],
        },
      },
    },
  };
  const rows: [string, { ref: string; want: string }][] = [
    ['a component schema is named after itself', { ref: '#/components/schemas/Pet_v2', want: 'Pet_v2_2' }],
    [
      'invalid characters become _, first in ref order keeps the plain name',
      { ref: '#/components/schemas/Pet v2', want: 'Pet_v2' },
    ],
    [
      'a deep ref is named after its whole pointer',
      { ref: '#/components/schemas/Pet/properties/owner', want: 'components_schemas_Pet_properties_owner' },
    ],
  ];
  it.each(rows)('%s', (_name, { ref, want }) => {
    const registry = new SchemaRegistry(doc, '3.1');
    const { schema, refs } = registry.convert({ $ref: ref });
    expect(schema).toEqual({ $ref: `#/$defs/${want}` });
    expect([...refs]).toEqual([want]);
  });

  it('the same document gives the same names whatever order schemas are converted in', () => {
    const forward = new SchemaRegistry(doc, '3.1');
    const backward = new SchemaRegistry(doc, '3.1');
    const refs = rows.map(([, r]) => ({ $ref: r.ref }));
    const a = refs.map((r) => forward.convert(r).schema);
    const b = [...refs]
      .reverse()
      .map((r) => backward.convert(r).schema)
      .reverse();
    expect(a).toEqual(b);
  });
});
