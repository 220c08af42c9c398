import { describe, expect, it } from 'vitest';
import { FILE_PART_SCHEMA } from '../../templates/runtime/http/file-part.js';
import type { BodyBinding, BodyEncoding, JsonSchema } from '../../templates/runtime/mcp/types.js';
import { encodingOf } from '../../src/model/request-body.js';
import { modelOfFixture, onlyTool, operation, toolNamed } from './literal-document.js';

/** One POST whose request body is `requestBody`; returns the body argument's schema and its binding. */
function body(requestBody: unknown, components: Record<string, unknown> = {}) {
  const tool = onlyTool({ paths: { '/b': { post: operation({ requestBody }) } }, components });
  return { schema: (tool.inputSchema.properties as Record<string, JsonSchema>).body, binding: tool.http.body };
}
const media = (...types: string[]) => ({
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object', title: t } }])),
});

describe('request body: which media type the tool sends', () => {
  const rows: [string, { given: string[]; mediaType: string; encoding: BodyEncoding }][] = [
    [
      'JSON over XML and text',
      { given: ['text/plain', 'application/xml', 'application/json'], mediaType: 'application/json', encoding: 'json' },
    ],
    [
      'application/json over a +json type',
      { given: ['application/vnd.api+json', 'application/json'], mediaType: 'application/json', encoding: 'json' },
    ],
    [
      'a +json type over a form',
      {
        given: ['application/x-www-form-urlencoded', 'application/merge-patch+json'],
        mediaType: 'application/merge-patch+json',
        encoding: 'json',
      },
    ],
    [
      'form over multipart',
      {
        given: ['multipart/form-data', 'application/x-www-form-urlencoded'],
        mediaType: 'application/x-www-form-urlencoded',
        encoding: 'form',
      },
    ],
    [
      'multipart over binary',
      {
        given: ['application/octet-stream', 'multipart/form-data'],
        mediaType: 'multipart/form-data',
        encoding: 'multipart',
      },
    ],
    [
      'text over binary',
      { given: ['application/octet-stream', 'text/plain'], mediaType: 'text/plain', encoding: 'text' },
    ],
    ['XML is text', { given: ['application/xml'], mediaType: 'application/xml', encoding: 'text' }],
    [
      'parameters on the media type are kept',
      { given: ['application/json; charset=utf-8'], mediaType: 'application/json; charset=utf-8', encoding: 'json' },
    ],
    ['*/* is sent as JSON', { given: ['*/*'], mediaType: 'application/json', encoding: 'json' }],
    ['an image is binary', { given: ['image/png'], mediaType: 'image/png', encoding: 'binary' }],
  ];
  it.each(rows)('%s', (_name, { given, mediaType, encoding }) => {
    const want: BodyBinding = { argument: 'body', mediaType, encoding, required: false };
    expect(body(media(...given)).binding).toEqual(want);
  });

  it.each([
    ['application/json', 'json'],
    ['Application/JSON', 'json'],
    ['application/problem+json', 'json'],
    ['application/*', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['multipart/mixed', 'multipart'],
    ['text/csv', 'text'],
    ['application/atom+xml', 'text'],
    ['application/pdf', 'binary'],
  ] as const)('encodingOf(%s) = %s', (mediaType, want) => {
    expect(encodingOf(mediaType)).toBe(want);
  });
});

describe('request body: the schema of the `body` argument', () => {
  const rows: [string, { given: unknown; components?: Record<string, unknown>; want: unknown }][] = [
    [
      'the chosen media type schema; the body description fills a missing one',
      {
        given: {
          description: ' The pet ',
          content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } },
        },
        want: { type: 'object', properties: { name: { type: 'string' } }, description: 'The pet' },
      },
    ],
    [
      'the schema description wins over the body description',
      {
        given: {
          description: 'outer',
          content: { 'application/json': { schema: { type: 'string', description: 'inner' } } },
        },
        want: { type: 'string', description: 'inner' },
      },
    ],
    [
      'a $ref body schema stays a $ref (the description beside it in 3.1)',
      {
        given: {
          description: 'A pet',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
        },
        components: { schemas: { Pet: { type: 'object' } } },
        want: { $ref: '#/$defs/Pet', description: 'A pet' },
      },
    ],
    ['JSON without a schema: anything', { given: { content: { 'application/json': {} } }, want: {} }],
    [
      'a form without a schema: an object',
      { given: { content: { 'application/x-www-form-urlencoded': {} } }, want: { type: 'object' } },
    ],
    ['text without a schema: a string', { given: { content: { 'text/plain': {} } }, want: { type: 'string' } }],
    [
      'binary: base64 text, whatever the declared schema',
      {
        given: {
          description: 'The file',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        want: { type: 'string', contentEncoding: 'base64', description: 'The file (base64-encoded bytes)' },
      },
    ],
    [
      'multipart: a binary property becomes a file part, an array of them an array of file parts',
      {
        given: {
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  photo: { type: 'string', format: 'binary', description: 'The image' },
                  extras: { type: 'array', items: { type: 'string', format: 'binary' } },
                  caption: { type: 'string' },
                },
              },
            },
          },
        },
        want: {
          type: 'object',
          properties: {
            photo: { ...FILE_PART_SCHEMA, description: 'The image' },
            extras: { type: 'array', items: FILE_PART_SCHEMA },
            caption: { type: 'string' },
          },
        },
      },
    ],
  ];
  it.each(rows)('%s', (_name, { given, components, want }) => {
    expect(body(given, components).schema).toEqual(want);
  });

  it('no content, or empty content: no body argument, no body binding', () => {
    for (const requestBody of [{ description: 'x' }, { content: {} }]) {
      const tool = onlyTool({ paths: { '/b': { post: operation({ requestBody }) } } });
      expect(tool.inputSchema.properties).toEqual({});
      expect(tool.http.body).toBeUndefined();
    }
  });
});

describe('fixtures/request-bodies.yaml through the loader', () => {
  it('media type, encoding, required and schema per operation', async () => {
    const built = await modelOfFixture('request-bodies.yaml');
    const rows: [string, { binding: BodyBinding; schema: unknown }][] = [
      [
        'createNote',
        {
          binding: { argument: 'body', mediaType: 'application/json', encoding: 'json', required: true },
          schema: { type: 'object', properties: { text: { type: 'string' } }, description: 'A note to keep' },
        },
      ],
      [
        'login',
        {
          binding: {
            argument: 'body',
            mediaType: 'application/x-www-form-urlencoded',
            encoding: 'form',
            required: false,
          },
          schema: {
            type: 'object',
            required: ['user'],
            properties: { user: { type: 'string' }, password: { type: 'string', format: 'password' } },
          },
        },
      ],
      [
        'uploadPhoto',
        {
          binding: { argument: 'body', mediaType: 'multipart/form-data', encoding: 'multipart', required: true },
          schema: {
            type: 'object',
            properties: { photo: { ...FILE_PART_SCHEMA, description: 'The image' }, caption: { type: 'string' } },
          },
        },
      ],
      [
        'putBlob',
        {
          binding: { argument: 'body', mediaType: 'application/octet-stream', encoding: 'binary', required: true },
          schema: {
            type: 'string',
            contentEncoding: 'base64',
            description: 'The bytes to store (base64-encoded bytes)',
          },
        },
      ],
    ];
    for (const [name, { binding, schema }] of rows) {
      const tool = toolNamed(built, name);
      expect(tool.http.body, name).toEqual(binding);
      expect((tool.inputSchema.properties as Record<string, unknown>).body, name).toEqual(schema);
      expect(tool.inputSchema.required ?? [], name).toEqual(binding.required ? ['body'] : []);
    }
  });
});
