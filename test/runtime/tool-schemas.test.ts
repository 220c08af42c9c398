import { fromJsonSchema } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { toolSchemas } from '../../templates/runtime/mcp/tool-schemas.js';
import type { AppDefinition, JsonSchema, ToolDefinition } from '../../templates/runtime/mcp/types.js';

const tool = (inputSchema: JsonSchema): ToolDefinition => ({
  name: 't',
  description: 't',
  inputSchema,
  annotations: {},
  http: { method: 'POST', path: '/t', parameters: [] },
  security: [],
  access: { scopes: [[]] },
  tags: [],
  source: '/paths/~1t/post',
});
const input = (schema: JsonSchema, defs: AppDefinition['defs']) => toolSchemas(tool(schema), defs).inputSchema;

describe('toolSchemas: a definition used once is written in place, the others stay in $defs', () => {
  const rows: [string, { schema: JsonSchema; defs: AppDefinition['defs']; want: JsonSchema }][] = [
    [
      'used once, and the one it uses once, nested',
      {
        schema: { type: 'object', properties: { body: { $ref: '#/$defs/Body' } } },
        defs: { Body: { type: 'object', properties: { tag: { $ref: '#/$defs/Tag' } } }, Tag: { type: 'string' } },
        want: { type: 'object', properties: { body: { type: 'object', properties: { tag: { type: 'string' } } } } },
      },
    ],
    [
      'used twice: stays a definition',
      {
        schema: { type: 'object', properties: { a: { $ref: '#/$defs/Id' }, b: { $ref: '#/$defs/Id' } } },
        defs: { Id: { type: 'integer' } },
        want: {
          type: 'object',
          properties: { a: { $ref: '#/$defs/Id' }, b: { $ref: '#/$defs/Id' } },
          $defs: { Id: { type: 'integer' } },
        },
      },
    ],
    [
      'a cycle: the definition entered twice stays, the other is written in it',
      {
        schema: { type: 'object', properties: { node: { $ref: '#/$defs/Node' } } },
        defs: {
          Node: { type: 'object', properties: { children: { $ref: '#/$defs/Children' } } },
          Children: { type: 'array', items: { $ref: '#/$defs/Node' } },
        },
        want: {
          type: 'object',
          properties: { node: { $ref: '#/$defs/Node' } },
          $defs: {
            Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } } },
          },
        },
      },
    ],
    [
      'beside a description (an annotation): written in place, the use-site description wins',
      {
        schema: { type: 'object', properties: { id: { $ref: '#/$defs/Id', description: 'The pet' } } },
        defs: { Id: { type: 'integer', description: 'An id' } },
        want: { type: 'object', properties: { id: { type: 'integer', description: 'The pet' } } },
      },
    ],
    [
      'beside an assertion: kept as a reference, since merging would change what it means',
      {
        schema: { type: 'object', properties: { x: { $ref: '#/$defs/X', additionalProperties: false } } },
        defs: { X: { type: 'object', properties: { a: { type: 'string' } } } },
        want: {
          type: 'object',
          properties: { x: { $ref: '#/$defs/X', additionalProperties: false } },
          $defs: { X: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      },
    ],
    [
      'a definition with an anchor or a dynamic reference is not moved',
      {
        schema: { type: 'object', properties: { f: { $ref: '#/$defs/F' } } },
        defs: { F: { $dynamicAnchor: 'node', type: 'object' } },
        want: {
          type: 'object',
          properties: { f: { $ref: '#/$defs/F' } },
          $defs: { F: { $dynamicAnchor: 'node', type: 'object' } },
        },
      },
    ],
    [
      'a $ref inside a default is data: left alone (and counted as a use, so the definition stays)',
      {
        schema: {
          type: 'object',
          properties: { d: { type: 'object', default: { $ref: '#/$defs/A' } }, a: { $ref: '#/$defs/A' } },
        },
        defs: { A: { type: 'string' } },
        want: {
          type: 'object',
          properties: { d: { type: 'object', default: { $ref: '#/$defs/A' } }, a: { $ref: '#/$defs/A' } },
          $defs: { A: { type: 'string' } },
        },
      },
    ],
    [
      'a property named like a keyword is a name, its schema still rewritten',
      {
        schema: { type: 'object', properties: { default: { $ref: '#/$defs/A' } } },
        defs: { A: { type: 'string' } },
        want: { type: 'object', properties: { default: { type: 'string' } } },
      },
    ],
    [
      'a missing definition stays a definition that accepts anything, as before',
      {
        schema: { type: 'object', properties: { m: { $ref: '#/$defs/Missing' } } },
        defs: {},
        want: { type: 'object', properties: { m: { $ref: '#/$defs/Missing' } }, $defs: { Missing: true } },
      },
    ],
  ];
  it.each(rows)('%s', (_name, { schema, defs, want }) => {
    expect(input(schema, defs)).toEqual(want);
  });

  it('validates exactly as the schema with all its definitions did', async () => {
    const defs = {
      Node: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, children: { $ref: '#/$defs/Children' } },
      },
      Children: { type: 'array', items: { $ref: '#/$defs/Node' } },
    };
    const schema = { type: 'object', properties: { root: { $ref: '#/$defs/Node' } }, required: ['root'] };
    const written = fromJsonSchema(input(schema, defs) as never)['~standard'];
    const original = fromJsonSchema({ ...schema, $defs: defs })['~standard'];
    for (const value of [
      { root: { name: 'a', children: [{ name: 'b', children: [] }] } },
      { root: { name: 'a', children: [{ children: [] }] } },
      { root: {} },
      {},
    ]) {
      expect('issues' in (await written.validate(value))).toBe('issues' in (await original.validate(value)));
    }
  });
});
