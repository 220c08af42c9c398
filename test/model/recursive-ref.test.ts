import { fromJsonSchema } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { toolSchemas } from '../../templates/runtime/mcp/tool-schemas.js';
import { model, onlyTool } from './literal-document.js';

// openai-api.yaml's CompoundFilter: a draft 2019-09 recursive schema inside a 3.1 document.
const document = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/search': {
      post: {
        operationId: 'search',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CompoundFilter' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  components: {
    schemas: {
      Leaf: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'], additionalProperties: false },
      CompoundFilter: {
        $recursiveAnchor: true,
        type: 'object',
        additionalProperties: false,
        required: ['filters'],
        properties: {
          filters: { type: 'array', items: { oneOf: [{ $ref: '#/components/schemas/Leaf' }, { $recursiveRef: '#' }] } },
        },
      },
    },
  },
};

describe('$recursiveRef (draft 2019-09) in a component', () => {
  it('points at the component that declared $recursiveAnchor, inside $defs', () => {
    const built = model(document);
    expect(built.defs.CompoundFilter).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['filters'],
      properties: {
        filters: { type: 'array', items: { oneOf: [{ $ref: '#/$defs/Leaf' }, { $ref: '#/$defs/CompoundFilter' }] } },
      },
    });
    expect(onlyTool(document).defs).toEqual(['CompoundFilter', 'Leaf']);
  });

  it('gives a tool schema the SDK validator (Ajv 2020) compiles and that validates nested filters', async () => {
    const built = model(document);
    const schema = fromJsonSchema(toolSchemas(onlyTool(document), built.defs).inputSchema as never);
    const good = await schema['~standard'].validate({ body: { filters: [{ key: 'a' }, { filters: [{ key: 'b' }] }] } });
    expect(good).toHaveProperty('value');
    const bad = await schema['~standard'].validate({ body: { filters: [{ filters: [{ nokey: 1 }] }] } });
    expect(bad).toHaveProperty('issues');
  });
});

describe('3.1 documents written partly in the 3.0 way (found in openai-api and discord-api)', () => {
  const withSchema = (schema: Record<string, unknown>) => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/x': {
        get: {
          operationId: 'x',
          parameters: [{ name: 'n', in: 'query', schema }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  });

  it.each([
    [
      'boolean exclusiveMinimum becomes the numeric bound',
      { type: 'number', minimum: 0, exclusiveMinimum: true },
      { type: 'number', exclusiveMinimum: 0 },
    ],
    [
      'exclusiveMaximum: false is dropped',
      { type: 'number', maximum: 5, exclusiveMaximum: false },
      { type: 'number', maximum: 5 },
    ],
    ['an empty enum, which admits nothing, is dropped', { type: 'string', enum: [] }, { type: 'string' }],
  ])('%s', (_name, given, want) => {
    const tool = onlyTool(withSchema(given));
    expect((tool.inputSchema.properties as Record<string, unknown>).n).toEqual(want);
  });
});
