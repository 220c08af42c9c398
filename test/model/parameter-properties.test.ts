import { describe, expect, it } from 'vitest';
import { onlyTool, operation } from './literal-document.js';

/** The `properties` of the binding of query parameter `filter` with this schema (and these components). */
function propertiesOf(schema: unknown, schemas: Record<string, unknown> = {}) {
  const document = {
    paths: {
      '/x': { get: operation({ parameters: [{ name: 'filter', in: 'query', style: 'form', explode: true, schema }] }) },
    },
    components: { schemas },
  };
  return onlyTool(document).http.parameters.find((p) => p.name === 'filter')?.properties;
}

// Issue 9 item 2: the runtime refuses keys an object parameter does not declare, so the binding carries them.
describe('parameter bindings: the keys an object value may carry', () => {
  const rows: Array<[string, { schema: unknown; schemas?: Record<string, unknown>; want: string[] | undefined }]> = [
    [
      'declared properties, sorted',
      { schema: { type: 'object', properties: { size: {}, color: {} } }, want: ['color', 'size'] },
    ],
    [
      'through a $ref',
      {
        schema: { $ref: '#/components/schemas/F' },
        schemas: { F: { type: 'object', properties: { color: {} } } },
        want: ['color'],
      },
    ],
    [
      'allOf parts together',
      {
        schema: { allOf: [{ $ref: '#/components/schemas/F' }, { properties: { size: {} } }] },
        schemas: { F: { properties: { color: {} } } },
        want: ['color', 'size'],
      },
    ],
    [
      'additionalProperties: false keeps them closed',
      { schema: { type: 'object', properties: { a: {} }, additionalProperties: false }, want: ['a'] },
    ],
    [
      'additionalProperties as a schema opens them',
      { schema: { type: 'object', properties: { a: {} }, additionalProperties: { type: 'string' } }, want: undefined },
    ],
    [
      'patternProperties opens them',
      { schema: { type: 'object', properties: { a: {} }, patternProperties: { '^x-': {} } }, want: undefined },
    ],
    ['a free-form object', { schema: { type: 'object' }, want: undefined }],
    [
      'oneOf with a free-form object alternative',
      {
        schema: { oneOf: [{ $ref: '#/components/schemas/F' }, { type: 'object' }] },
        schemas: { F: { properties: { color: {} } } },
        want: undefined,
      },
    ],
    [
      'anyOf of two declared objects',
      { schema: { anyOf: [{ properties: { a: {} } }, { properties: { b: {} } }] }, want: ['a', 'b'] },
    ],
    ['an object that admits no key', { schema: { type: 'object', additionalProperties: false }, want: [] }],
    ['a string', { schema: { type: 'string' }, want: undefined }],
  ];
  it.each(rows)('%s', (_, { schema, schemas, want }) => {
    expect(propertiesOf(schema, schemas)).toEqual(want);
  });
});
