import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build-model.js';
import {
  parameterDescription,
  toolDescription,
  trimAnnotations,
  trimOutputOnlyDefs,
  trimOutputSchema,
  trimSchemaText,
} from '../../src/model/trim.js';
import type { JsonSchema, ToolAnnotations } from '../../templates/runtime/mcp/types.js';
import { loaded, model, operation, toolNamed } from './literal-document.js';

describe('trimOutputSchema: annotations out, every assertion kept', () => {
  const rows: [string, { given: JsonSchema | boolean; want: JsonSchema | boolean }][] = [
    [
      'description, title, $comment, deprecated, readOnly, writeOnly, examples at the root',
      {
        given: {
          type: 'object',
          title: 'Pet',
          description: 'A pet',
          $comment: 'c',
          deprecated: true,
          readOnly: true,
          writeOnly: false,
          examples: [{}],
          required: ['id'],
        },
        want: { type: 'object', required: ['id'] },
      },
    ],
    [
      'at every depth: properties, items, allOf members, $defs, additionalProperties',
      {
        given: {
          type: 'object',
          properties: {
            tags: { type: 'array', description: 'Tags', items: { type: 'string', title: 'Tag', maxLength: 9 } },
          },
          allOf: [{ description: 'x', minProperties: 1 }],
          additionalProperties: { description: 'extra', type: 'integer' },
          $defs: { A: { title: 'A', type: 'string', format: 'uuid' } },
        },
        want: {
          type: 'object',
          properties: { tags: { type: 'array', items: { type: 'string', maxLength: 9 } } },
          allOf: [{ minProperties: 1 }],
          additionalProperties: { type: 'integer' },
          $defs: { A: { type: 'string', format: 'uuid' } },
        },
      },
    ],
    [
      'a property that is called "description" or "title" is data, not an annotation',
      {
        given: {
          type: 'object',
          properties: { description: { type: 'string', description: 'The text' }, title: { type: 'string' } },
          required: ['title'],
        },
        want: {
          type: 'object',
          properties: { description: { type: 'string' }, title: { type: 'string' } },
          required: ['title'],
        },
      },
    ],
    [
      'validation keywords, default, enum and const values are kept verbatim',
      {
        given: {
          type: ['string', 'null'],
          enum: ['a', null],
          default: 'a',
          pattern: '^a$',
          const: { description: 'not a schema' },
        },
        want: {
          type: ['string', 'null'],
          enum: ['a', null],
          default: 'a',
          pattern: '^a$',
          const: { description: 'not a schema' },
        },
      },
    ],
    ['a boolean schema', { given: true, want: true }],
  ];
  it.each(rows)('%s', (_name, { given, want }) => {
    expect(trimOutputSchema(given)).toEqual(want);
  });
});

describe('trimOutputOnlyDefs: only definitions no input reaches lose their annotations', () => {
  it('keeps descriptions an input schema reaches (also through another definition) and trims the rest', () => {
    const defs = {
      Body: { type: 'object', description: 'The body', properties: { owner: { $ref: '#/$defs/Owner' } } },
      Owner: { type: 'string', description: 'Who owns it' },
      Page: { type: 'object', description: 'A page', properties: { next: { type: 'string', description: 'Cursor' } } },
    };
    const input = { type: 'object', properties: { body: { $ref: '#/$defs/Body' } } };
    expect(trimOutputOnlyDefs(defs, [input])).toEqual({
      Body: defs.Body,
      Owner: defs.Owner,
      Page: { type: 'object', properties: { next: { type: 'string' } } },
    });
  });
});

describe('toolDescription: the summary leads, said once', () => {
  const rows: [string, { summary: string; description: string; want: string }][] = [
    [
      'summary and another description: both, summary first',
      { summary: 'List pets', description: 'All of them.', want: 'List pets\n\nAll of them.' },
    ],
    [
      'a description opening with the summary: as it is',
      { summary: 'List pets', description: 'List pets.\n\nAll of them.', want: 'List pets.\n\nAll of them.' },
    ],
    [
      'the same words in another case: as it is',
      { summary: 'List Pets', description: 'list pets:\nAll of them.', want: 'list pets:\nAll of them.' },
    ],
    [
      'a description that only repeats the summary: said once',
      { summary: 'List pets', description: 'List pets.', want: 'List pets.' },
    ],
    [
      'a summary only: the summary (a model may see no title)',
      { summary: 'List pets', description: '', want: 'List pets' },
    ],
    ['a description only', { summary: '', description: 'All of them.', want: 'All of them.' }],
    [
      'a first line that only starts like the summary is not a repeat',
      { summary: 'List pets', description: 'List pets by owner.', want: 'List pets\n\nList pets by owner.' },
    ],
  ];
  it.each(rows)('%s', (_name, { summary, description, want }) => {
    expect(toolDescription(summary, description)).toBe(want);
  });
});

describe('trimAnnotations: nothing that repeats the title or a default every reader agrees on', () => {
  const rows: [string, { given: ToolAnnotations; want: ToolAnnotations }][] = [
    [
      'title repeats Tool.title',
      {
        given: { title: 'List', readOnlyHint: true, openWorldHint: true },
        want: { readOnlyHint: true, openWorldHint: true },
      },
    ],
    [
      'false defaults of readOnlyHint and idempotentHint',
      {
        given: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
        want: { destructiveHint: false, openWorldHint: true },
      },
    ],
    [
      'destructiveHint: true stays explicit',
      {
        given: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
        want: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
      },
    ],
  ];
  it.each(rows)('%s', (_name, { given, want }) => {
    expect(trimAnnotations(given)).toEqual(want);
  });
});

describe('parameterDescription: said once between a parameter and its schema', () => {
  const defs = (name: string) => (name === 'Owner' ? { type: 'string', description: 'The owner.' } : undefined);
  const rows: [string, { description: string; schema: JsonSchema; want: string | undefined }][] = [
    [
      'the schema says the same',
      { description: 'The owner.', schema: { type: 'string', description: 'The owner.' }, want: undefined },
    ],
    [
      'the definition the schema refers to says the same',
      { description: 'The owner.', schema: { $ref: '#/$defs/Owner' }, want: undefined },
    ],
    [
      'something else: kept',
      { description: 'Login of the owner.', schema: { $ref: '#/$defs/Owner' }, want: 'Login of the owner.' },
    ],
    ['empty', { description: '', schema: { type: 'string' }, want: undefined }],
  ];
  it.each(rows)('%s', (_name, { description, schema, want }) => {
    expect(parameterDescription(description, schema, defs)).toBe(want);
  });
});

describe('through buildModel', () => {
  const document = {
    paths: {
      '/pets/{owner}': {
        post: operation({
          operationId: 'addPet',
          summary: 'Add a pet',
          description: 'Add a pet.\n\nOne at a time.',
          parameters: [
            {
              name: 'owner',
              in: 'path',
              required: true,
              description: 'The owner.',
              schema: { $ref: '#/components/schemas/Owner' },
              example: 'ann',
            },
          ],
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } },
          responses: {
            '201': {
              description: 'Added',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
            },
          },
        }),
      },
    },
    components: {
      schemas: {
        Owner: { type: 'string', description: 'The owner.', example: 'ann', 'x-internal': true },
        NewPet: {
          type: 'object',
          description: 'What to add',
          properties: { name: { type: 'string', examples: ['Tom'], description: 'Its name' } },
          'x-go-type': 'NewPet',
        },
        Pet: {
          type: 'object',
          required: ['id'],
          description: 'A pet',
          properties: {
            id: { type: 'integer', readOnly: true, description: 'Its id' },
            friend: { $ref: '#/components/schemas/Friend' },
          },
        },
        Friend: {
          type: 'object',
          title: 'Friend',
          description: 'Another pet',
          properties: { since: { type: 'string', format: 'date', description: 'When' } },
        },
      },
    },
  };
  const built = model(document);
  const tool = toolNamed(built, 'addPet');
  const text = JSON.stringify({ input: tool.inputSchema, output: tool.outputSchema, defs: built.defs });

  it('leaves no example, examples or x-* key in any schema', () => {
    expect(text).not.toMatch(/"example"|"examples"|"x-/);
  });

  it('keeps input descriptions once and drops output-only annotations', () => {
    expect(tool.inputSchema.properties).toEqual({ owner: { $ref: '#/$defs/Owner' }, body: { $ref: '#/$defs/NewPet' } });
    expect(built.defs.Owner).toEqual({ type: 'string', description: 'The owner.' });
    expect(built.defs.NewPet).toEqual({
      type: 'object',
      description: 'What to add',
      properties: { name: { type: 'string', description: 'Its name' } },
    });
    expect(tool.outputSchema).toEqual({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'integer' }, friend: { $ref: '#/$defs/Friend' } },
    });
    expect(built.defs.Friend).toEqual({ type: 'object', properties: { since: { type: 'string', format: 'date' } } });
  });

  it('does not repeat the summary in the annotations; it leads the description once', () => {
    expect(tool.title).toBe('Add a pet');
    expect(tool.description).toBe('Add a pet.\n\nOne at a time.');
    expect(tool.annotations).toEqual({ destructiveHint: false, openWorldHint: true });
  });

  it('is deterministic: the same document gives the same bytes', () => {
    expect(JSON.stringify(model(structuredClone(document)))).toBe(JSON.stringify(built));
  });
});

describe('descriptions without link targets or documentation pointers (doc-links.ts)', () => {
  it('trimSchemaText: every description keyword, at every depth (one that was only a pointer goes); property names and data untouched', () => {
    const given: JsonSchema = {
      type: 'object',
      description: 'A [pet](https://x.test/pet).',
      properties: {
        description: {
          type: 'string',
          description: 'Text. For more information, see "[Markdown](https://x.test/md)."',
        },
        tags: { type: 'array', items: { type: 'string', description: 'See [tags](/tags).' } },
      },
      anyOf: [
        { description: '[one](https://x.test/1)' },
        { type: 'null', description: 'For more information, see [Nulls](https://x.test/n).' },
      ],
      default: { description: '[kept](https://x.test/data)' },
    };
    expect(trimSchemaText(given)).toEqual({
      type: 'object',
      description: 'A pet.',
      properties: {
        description: { type: 'string', description: 'Text.' },
        tags: { type: 'array', items: { type: 'string', description: 'See tags.' } },
      },
      anyOf: [{ description: 'one' }, { type: 'null' }],
      default: { description: '[kept](https://x.test/data)' },
    });
  });

  it('toolDescription: links in the summary and the description, and a pointer sentence', () => {
    expect(
      toolDescription(
        'Get an [issue](https://x.test/i)',
        'Returns it. For more information, see "[Issues](https://x.test/docs)."',
      ),
    ).toBe('Get an issue\n\nReturns it.');
  });

  it('through buildModel: tool descriptions, parameters, bodies and definitions; user overrides as written', () => {
    const built = buildModel(
      loaded({
        paths: {
          '/issues': {
            get: operation({
              operationId: 'listIssues',
              summary: 'List [issues](https://docs.x.test/issues)',
              description: 'Lists [issues](https://docs.x.test/issues).',
              parameters: [
                {
                  name: 'per_page',
                  in: 'query',
                  description: 'Page size (max 100). For more information, see "[Pagination](https://docs.x.test/p)."',
                  schema: { type: 'integer' },
                },
              ],
            }),
            post: operation({
              operationId: 'addIssue',
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewIssue' } } } },
            }),
          },
        },
        components: {
          schemas: {
            NewIssue: {
              type: 'object',
              description: 'An [issue](/issues) to add',
              properties: { title: { type: 'string', description: 'Its [title](#title)' } },
            },
          },
        },
      }),
      { tools: { addIssue: { description: 'Adds one. See [the guide](https://x.test/guide).' } } },
    );
    const list = toolNamed(built, 'listIssues');
    expect(list.title).toBe('List issues');
    expect(list.description).toBe('List issues\n\nLists issues.');
    expect(list.inputSchema.properties).toEqual({ per_page: { type: 'integer', description: 'Page size (max 100).' } });
    expect(built.defs.NewIssue).toEqual({
      type: 'object',
      description: 'An issue to add',
      properties: { title: { type: 'string', description: 'Its title' } },
    });
    expect(toolNamed(built, 'addIssue').description).toBe('Adds one. See [the guide](https://x.test/guide).');
  });
});
