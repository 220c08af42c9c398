import { describe, expect, it } from 'vitest';
import type { JsonSchema, ParameterBinding } from '../../templates/runtime/mcp/types.js';
import { model, modelOfFixture, onlyTool, operation } from './literal-document.js';

/** A one-operation document: GET `path` with these path-level and operation-level parameters. */
function withParameters(
  path: string,
  parameters: unknown[],
  pathLevel: unknown[] = [],
  extra: Record<string, unknown> = {},
) {
  return {
    paths: {
      [path]: { ...(pathLevel.length ? { parameters: pathLevel } : {}), get: operation({ parameters, ...extra }) },
    },
  };
}
const bind = (b: Omit<ParameterBinding, 'argument'> & { argument?: string }): ParameterBinding => ({
  argument: b.name,
  ...b,
});

type Row = [
  string,
  {
    given: Record<string, unknown>;
    properties: Record<string, JsonSchema>;
    required?: string[];
    bindings: ParameterBinding[];
  },
];

describe('input schema: one object, parameters as properties, bindings beside', () => {
  const rows: Row[] = [
    [
      'no parameters: an empty object that admits nothing else',
      { given: withParameters('/x', []), properties: {}, bindings: [] },
    ],
    [
      'each location with its default style and explode; path always required; enum, format, default, description kept',
      {
        given: withParameters('/pets/{id}', [
          { name: 'id', in: 'path', description: ' Pet id ', schema: { type: 'integer', format: 'int64' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 20, minimum: 1 } },
          { name: 'status', in: 'query', required: true, schema: { type: 'string', enum: ['a', 'b'] } },
          { name: 'X-Trace', in: 'header', schema: { type: 'string', format: 'uuid' } },
          { name: 'session', in: 'cookie', deprecated: true, schema: { type: 'string' } },
        ]),
        properties: {
          id: { type: 'integer', format: 'int64', description: 'Pet id' },
          limit: { type: 'integer', default: 20, minimum: 1 },
          status: { type: 'string', enum: ['a', 'b'] },
          'X-Trace': { type: 'string', format: 'uuid' },
          session: { type: 'string', deprecated: true },
        },
        required: ['id', 'status'],
        bindings: [
          bind({ name: 'id', in: 'path', style: 'simple', explode: false, required: true }),
          bind({ name: 'limit', in: 'query', style: 'form', explode: true, required: false }),
          bind({ name: 'status', in: 'query', style: 'form', explode: true, required: true }),
          bind({ name: 'X-Trace', in: 'header', style: 'simple', explode: false, required: false }),
          bind({ name: 'session', in: 'cookie', style: 'form', explode: true, required: false }),
        ],
      },
    ],
    [
      'explicit styles; explode defaults to true only for form',
      {
        given: withParameters('/m/{a}/{b}', [
          { name: 'a', in: 'path', style: 'label', schema: { type: 'string' } },
          {
            name: 'b',
            in: 'path',
            style: 'matrix',
            explode: true,
            schema: { type: 'array', items: { type: 'string' } },
          },
          { name: 'c', in: 'query', style: 'spaceDelimited', schema: { type: 'array', items: { type: 'string' } } },
          { name: 'd', in: 'query', style: 'form', explode: false, allowReserved: true, schema: { type: 'string' } },
          { name: 'e', in: 'header', explode: true, schema: { type: 'object' } },
        ]),
        properties: {
          a: { type: 'string' },
          b: { type: 'array', items: { type: 'string' } },
          c: { type: 'array', items: { type: 'string' } },
          d: { type: 'string' },
          e: { type: 'object' },
        },
        required: ['a', 'b'],
        bindings: [
          bind({ name: 'a', in: 'path', style: 'label', explode: false, required: true }),
          bind({ name: 'b', in: 'path', style: 'matrix', explode: true, required: true }),
          bind({ name: 'c', in: 'query', style: 'spaceDelimited', explode: false, required: false }),
          bind({ name: 'd', in: 'query', style: 'form', explode: false, required: false, allowReserved: true }),
          bind({ name: 'e', in: 'header', style: 'simple', explode: true, required: false }),
        ],
      },
    ],
    [
      'path-level parameters merged; the operation wins by name and location',
      {
        given: withParameters(
          '/p/{id}',
          [{ name: 'limit', in: 'query', description: 'op', schema: { type: 'integer', maximum: 5 } }],
          [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'limit', in: 'query', description: 'path', required: true, schema: { type: 'string' } },
          ],
        ),
        properties: { id: { type: 'string' }, limit: { type: 'integer', maximum: 5, description: 'op' } },
        required: ['id'],
        bindings: [
          bind({ name: 'id', in: 'path', style: 'simple', explode: false, required: true }),
          bind({ name: 'limit', in: 'query', style: 'form', explode: true, required: false }),
        ],
      },
    ],
    [
      'Accept, Content-Type and Authorization headers are ignored, whatever their case',
      {
        given: withParameters('/h', [
          { name: 'accept', in: 'header', schema: { type: 'string' } },
          { name: 'Content-Type', in: 'header', schema: { type: 'string' } },
          { name: 'AUTHORIZATION', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'Authorization', in: 'query', schema: { type: 'string' } },
        ]),
        properties: { Authorization: { type: 'string' } },
        bindings: [bind({ name: 'Authorization', in: 'query', style: 'form', explode: true, required: false })],
      },
    ],
    [
      'a $ref parameter and a `content` parameter (sent as its media type)',
      {
        given: {
          ...withParameters('/r', [
            { $ref: '#/components/parameters/Limit' },
            {
              name: 'where',
              in: 'query',
              content: { 'application/json': { schema: { type: 'object', properties: { a: { type: 'string' } } } } },
            },
          ]),
          components: {
            parameters: { Limit: { name: 'limit', in: 'query', required: true, schema: { type: 'integer' } } },
          },
        },
        properties: { limit: { type: 'integer' }, where: { type: 'object', properties: { a: { type: 'string' } } } },
        required: ['limit'],
        bindings: [
          bind({ name: 'limit', in: 'query', style: 'form', explode: true, required: true }),
          bind({
            name: 'where',
            in: 'query',
            style: 'form',
            explode: true,
            required: false,
            contentType: 'application/json',
          }),
        ],
      },
    ],
    [
      'a parameter without schema or content is a string',
      {
        given: withParameters('/s', [{ name: 'q', in: 'query' }]),
        properties: { q: { type: 'string' } },
        bindings: [bind({ name: 'q', in: 'query', style: 'form', explode: true, required: false })],
      },
    ],
  ];
  it.each(rows)('%s', (_name, { given, properties, required, bindings }) => {
    const tool = onlyTool(given);
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties,
      ...(required ? { required } : {}),
      additionalProperties: false,
    });
    expect(tool.http.parameters).toEqual(bindings);
  });
});

describe('input schema: name clashes', () => {
  it('the same name in several locations: path keeps it, the others are prefixed with their location', () => {
    const built = model(
      withParameters('/p/{id}', [
        { name: 'id', in: 'cookie', schema: { type: 'string' } },
        { name: 'id', in: 'header', schema: { type: 'string' } },
        { name: 'id', in: 'query', schema: { type: 'string' } },
        { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
      ]),
    );
    const tool = built.tools[0];
    expect(tool?.http.parameters.map((b) => [b.in, b.name, b.argument])).toEqual([
      ['path', 'id', 'id'],
      ['query', 'id', 'query_id'],
      ['header', 'id', 'header_id'],
      ['cookie', 'id', 'cookie_id'],
    ]);
    expect(Object.keys(tool?.inputSchema.properties as object)).toEqual(['id', 'query_id', 'header_id', 'cookie_id']);
    expect(built.diagnostics.filter((d) => d.code === 'PARAMETER_RENAMED').map((d) => d.message)).toEqual([
      'query parameter "id" is the argument "query_id" of GET /p/{id}.',
      'header parameter "id" is the argument "header_id" of GET /p/{id}.',
      'cookie parameter "id" is the argument "cookie_id" of GET /p/{id}.',
    ]);
  });

  it('the body goes under `body` with its required flag; a parameter called body yields', () => {
    const tool = onlyTool({
      paths: {
        '/b': {
          post: operation({
            parameters: [{ name: 'body', in: 'query', schema: { type: 'string' } }],
            requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          }),
        },
      },
    });
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { query_body: { type: 'string' }, body: { type: 'object' } },
      required: ['body'],
      additionalProperties: false,
    });
    expect(tool.http.body).toEqual({
      argument: 'body',
      mediaType: 'application/json',
      encoding: 'json',
      required: true,
    });
  });

  it('an optional body is not required; `body` is never given to a parameter, so the body always gets it', () => {
    const tool = onlyTool({
      paths: {
        '/b/{body}': {
          post: operation({
            parameters: [
              { name: 'body', in: 'path', schema: { type: 'string' } },
              { name: 'requestBody', in: 'query', schema: { type: 'string' } },
            ],
            requestBody: { content: { 'application/json': { schema: { type: 'string' } } } },
          }),
        },
      },
    });
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { path_body: { type: 'string' }, requestBody: { type: 'string' }, body: { type: 'string' } },
      required: ['path_body'],
      additionalProperties: false,
    });
    expect(tool.http.body).toEqual({
      argument: 'body',
      mediaType: 'application/json',
      encoding: 'json',
      required: false,
    });
  });

  it('a location OpenAPI 3 does not define is reported and left out', () => {
    const built = model(withParameters('/f', [{ name: 'file', in: 'formData', schema: { type: 'string' } }]));
    expect(built.tools[0]?.inputSchema.properties).toEqual({});
    expect(built.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['PARAMETER_UNSUPPORTED', '/paths/~1f/get/parameters/0'],
    ]);
  });

  it('a path-level parameter it cannot represent is reported once, not once per operation', () => {
    const op = { responses: { '200': { description: 'ok' } } };
    const built = model({
      paths: {
        '/f': {
          parameters: [{ name: 'file', in: 'formData', schema: { type: 'string' } }],
          get: { ...op, operationId: 'getF' },
          put: { ...op, operationId: 'putF' },
        },
      },
    });
    expect(built.tools.map((t) => t.name)).toEqual(['getF', 'putF']);
    expect(built.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['PARAMETER_UNSUPPORTED', '/paths/~1f/parameters/0'],
    ]);
  });
});

describe('fixtures/parameters-styles.yaml through the loader', () => {
  it('properties, required, bindings and the rename', async () => {
    const built = await modelOfFixture('parameters-styles.yaml');
    const tool = built.tools[0];
    expect(tool?.inputSchema).toEqual({
      type: 'object',
      properties: {
        zooId: { type: 'string' },
        id: { type: 'integer' },
        limit: { type: 'integer', default: 20, maximum: 100, description: 'op-level' },
        query_id: { type: 'string', description: 'A second id' },
        tags: { type: 'array', items: { type: 'string' } },
        color: { type: 'array', items: { type: 'string' } },
        filter: { type: 'object', properties: { kind: { type: 'string', enum: ['cat', 'dog'] } } },
        q: { type: 'string' },
        'X-Request-Id': { type: 'string', format: 'uuid' },
        session: { type: 'string' },
      },
      required: ['zooId', 'id', 'q'],
      additionalProperties: false,
    });
    expect(tool?.http.parameters).toEqual([
      bind({ name: 'zooId', in: 'path', style: 'simple', explode: false, required: true }),
      bind({ name: 'id', in: 'path', style: 'simple', explode: false, required: true }),
      bind({ name: 'limit', in: 'query', style: 'form', explode: true, required: false }),
      bind({ name: 'id', argument: 'query_id', in: 'query', style: 'form', explode: true, required: false }),
      bind({ name: 'tags', in: 'query', style: 'pipeDelimited', explode: false, required: false }),
      bind({ name: 'color', in: 'query', style: 'form', explode: false, required: false }),
      bind({ name: 'filter', in: 'query', style: 'deepObject', explode: true, required: false, properties: ['kind'] }),
      bind({ name: 'q', in: 'query', style: 'form', explode: true, required: true, allowReserved: true }),
      bind({ name: 'X-Request-Id', in: 'header', style: 'simple', explode: false, required: false }),
      bind({ name: 'session', in: 'cookie', style: 'form', explode: true, required: false }),
    ]);
    expect(built.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['PARAMETER_RENAMED', 'query parameter "id" is the argument "query_id" of GET /zoos/{zooId}/animals/{id}.'],
    ]);
  });
});
