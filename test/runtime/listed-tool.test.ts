import { fromJsonSchema } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../src/emit/sample-value.js';
import { listedTool, META_ROLES, META_SCOPES } from '../../templates/runtime/mcp/listed-tool.js';
import { shallowOutputSchema } from '../../templates/runtime/mcp/output-shape.js';
import type { AppDefinition, JsonSchema, ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';

const base: ToolDefinition = {
  name: 'getPet',
  title: 'Get a pet',
  description: 'Get a pet\n\nReturns one pet by id.',
  inputSchema: {
    type: 'object',
    properties: { id: { type: 'integer', description: 'The pet.' } },
    required: ['id'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { id: { type: 'integer' }, owner: { $ref: '#/$defs/Owner' } },
    required: ['id'],
  },
  annotations: { readOnlyHint: true, openWorldHint: true },
  http: { method: 'GET', path: '/pets/{id}', parameters: [] },
  security: [],
  access: { scopes: [[]] },
  tags: [],
  source: '/paths/~1pets~1{id}/get',
};
const defs: AppDefinition['defs'] = {
  Owner: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
};
const shallow = { outputSchemas: 'shallow' } as const;

describe('listedTool: the object tools/list carries', () => {
  it('is exactly this for a public read-only tool with an output schema (shallow)', () => {
    const listed = listedTool(base, defs, shallow);
    expect(listed).toEqual({
      name: 'getPet',
      title: 'Get a pet',
      description: 'Returns one pet by id.',
      inputSchema: base.inputSchema,
      annotations: { readOnlyHint: true },
      outputSchema: { type: 'object', required: ['id'] },
    });
    // The SDK's key order, so a page serialized from these objects reads as the SDK would write it.
    expect(Object.keys(listed)).toEqual(['name', 'title', 'description', 'inputSchema', 'annotations', 'outputSchema']);
  });

  const meta: [string, ToolDefinition['access'], ReturnType<typeof listedTool>['_meta']][] = [
    ['any authenticated caller: no _meta at all', { scopes: [[]] }, undefined],
    ['an empty alternative among others still needs no scope', { scopes: [[], ['pets:read']] }, undefined],
    [
      'scopes, OR of AND',
      { scopes: [['pets:read'], ['pets:admin', 'audit']] },
      { [META_SCOPES]: [['pets:read'], ['pets:admin', 'audit']] },
    ],
    ['roles without scopes', { scopes: [[]], roles: ['admin'] }, { [META_ROLES]: ['admin'] }],
    [
      'scopes and roles',
      { scopes: [['pets:read']], roles: ['admin', 'vet'] },
      { [META_SCOPES]: [['pets:read']], [META_ROLES]: ['admin', 'vet'] },
    ],
    ['an empty role list carries nothing', { scopes: [[]], roles: [] }, undefined],
  ];
  it.each(meta)('_meta: %s', (_name, access, want) => {
    const listed = listedTool({ ...base, access }, defs, shallow);
    expect(listed._meta).toEqual(want);
    expect('_meta' in listed).toBe(want !== undefined);
  });

  const descriptions: [string, Partial<ToolDefinition>, string][] = [
    ['the summary at the head goes when the title says it', {}, 'Returns one pet by id.'],
    ['a description that is only the summary stays', { description: 'Get a pet' }, 'Get a pet'],
    [
      'no title: the description stays whole',
      { title: undefined, description: 'Get a pet\n\nReturns one pet by id.' },
      'Get a pet\n\nReturns one pet by id.',
    ],
    [
      'a title the description does not open with',
      { title: 'Fetch', description: 'Get a pet\n\nReturns it.' },
      'Get a pet\n\nReturns it.',
    ],
  ];
  it.each(descriptions)('description: %s', (_name, change, want) => {
    const { title, ...rest } = { ...base, ...change };
    const tool = title === undefined ? rest : { ...rest, title };
    expect(listedTool(tool, defs, shallow).description).toBe(want);
  });

  const annotations: [string, ToolDefinition['annotations'], ReturnType<typeof listedTool>['annotations']][] = [
    [
      'openWorldHint: true is the MCP default',
      { destructiveHint: false, openWorldHint: true },
      { destructiveHint: false },
    ],
    [
      'openWorldHint: false is said',
      { readOnlyHint: true, openWorldHint: false },
      { readOnlyHint: true, openWorldHint: false },
    ],
    [
      'destructiveHint stays explicit',
      { destructiveHint: true, idempotentHint: true, openWorldHint: true },
      { destructiveHint: true, idempotentHint: true },
    ],
    ['nothing left: no annotations key', { openWorldHint: true }, undefined],
  ];
  it.each(annotations)('annotations: %s', (_name, given, want) => {
    const listed = listedTool({ ...base, annotations: given }, defs, shallow);
    expect(listed.annotations).toEqual(want);
    expect('annotations' in listed).toBe(want !== undefined);
  });

  it('outputSchemas: full sends the whole schema with the definitions it reaches', () => {
    expect(listedTool(base, defs, { outputSchemas: 'full' }).outputSchema).toEqual({
      type: 'object',
      properties: {
        id: { type: 'integer' },
        owner: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      },
      required: ['id'],
    });
  });

  it('outputSchemas: none sends no output schema', () => {
    expect('outputSchema' in listedTool(base, defs, { outputSchemas: 'none' })).toBe(false);
  });

  it('a tool without an output schema has none in any mode', () => {
    const { outputSchema: _none, ...tool } = base;
    for (const outputSchemas of ['full', 'shallow', 'none'] as const)
      expect('outputSchema' in listedTool(tool, defs, { outputSchemas })).toBe(false);
  });
});

describe('shallowOutputSchema', () => {
  const rows: [string, JsonSchema, JsonSchema][] = [
    [
      'type and the root required list, nothing deeper',
      { type: 'object', properties: { a: { $ref: '#/$defs/Owner' } }, required: ['a'], additionalProperties: false },
      { type: 'object', required: ['a'] },
    ],
    [
      'required from allOf members and $ref targets (conjuncts), once each',
      { type: 'object', allOf: [{ $ref: '#/$defs/Owner' }, { required: ['id', 'name'] }], required: ['id'] },
      { type: 'object', required: ['id', 'name'] },
    ],
    [
      'not from anyOf / oneOf members: only one of them must hold',
      { type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }] },
      { type: 'object' },
    ],
    ['no required: just the type', { type: 'object', properties: { a: { type: 'string' } } }, { type: 'object' }],
    [
      'a cycle through $ref ends',
      { type: 'object', allOf: [{ $ref: '#/$defs/Loop' }] },
      { type: 'object', required: ['next'] },
    ],
  ];
  const loopDefs = { ...defs, Loop: { allOf: [{ $ref: '#/$defs/Loop' }], required: ['next'] } };
  it.each(rows)('%s', (_name, given, want) => {
    expect(shallowOutputSchema(given, loopDefs)).toEqual(want);
  });
});

/**
 * The promise the server relies on: a result that passes the whole schema
 * (which the server checks) passes the shallow one (which the client checks).
 * Checked on every output schema of three fixtures (and of GitHub's in listed-tool-size.test.ts), with a sample value
 * built from the whole schema.
 */
describe('a result valid against the whole output schema is valid against the listed one', () => {
  it.each(['fixtures/petstore-3.1.yaml', 'fixtures/dynamic-tools.yaml', 'fixtures/circular-schemas.yaml'])(
    '%s',
    async (spec) => {
      const app = await appFromSpec(`${REPO}/${spec}`);
      let checked = 0;
      for (const tool of app.tools) {
        if (!tool.outputSchema) continue;
        const full = listedTool(tool, app.defs, { outputSchemas: 'full' }).outputSchema as JsonSchema;
        const sent = listedTool(tool, app.defs, { outputSchemas: 'shallow' }).outputSchema as JsonSchema;
        const sample = sampleValue(full, app.defs);
        const wholeOk = await fromJsonSchema(full as never)['~standard'].validate(sample.value);
        if ('issues' in wholeOk && wholeOk.issues) continue;
        expect(await fromJsonSchema(sent as never)['~standard'].validate(sample.value)).not.toHaveProperty('issues');
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    },
  );
});
