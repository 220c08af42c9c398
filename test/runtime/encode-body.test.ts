import { describe, expect, it } from 'vitest';
import type { BodyBinding, BodyEncoding } from '../../templates/runtime/mcp/types.js';
import { encodeBody } from '../../templates/runtime/http/encode-body.js';
import { UpstreamError } from '../../templates/runtime/http/upstream-error.js';

function body(encoding: BodyEncoding, mediaType: string, required = true): BodyBinding {
  return { argument: 'body', encoding, mediaType, required };
}

/** The encoded body as the text a server would receive, plus its Content-Type. */
async function wire(
  binding: BodyBinding,
  value: unknown,
): Promise<{ text: string | undefined; contentType: string | undefined }> {
  const encoded = encodeBody(binding, value);
  const text = encoded.body === undefined ? undefined : await new Response(encoded.body).text();
  return { text, contentType: encoded.contentType };
}

const cases: Array<
  [
    string,
    {
      given: { binding: BodyBinding; value: unknown };
      want: { text: string | undefined; contentType: string | undefined };
    },
  ]
> = [
  [
    'json object',
    {
      given: { binding: body('json', 'application/json'), value: { a: [1, 'x'], b: null } },
      want: { text: '{"a":[1,"x"],"b":null}', contentType: 'application/json' },
    },
  ],
  [
    'json keeps the declared media type',
    {
      given: { binding: body('json', 'application/merge-patch+json'), value: [1] },
      want: { text: '[1]', contentType: 'application/merge-patch+json' },
    },
  ],
  [
    'json string',
    {
      given: { binding: body('json', 'application/json'), value: 'x' },
      want: { text: '"x"', contentType: 'application/json' },
    },
  ],
  [
    'text',
    {
      given: { binding: body('text', 'text/plain'), value: 'héllo\n' },
      want: { text: 'héllo\n', contentType: 'text/plain' },
    },
  ],
  [
    'text number',
    { given: { binding: body('text', 'text/plain'), value: 42 }, want: { text: '42', contentType: 'text/plain' } },
  ],
  [
    'binary from base64',
    {
      given: { binding: body('binary', 'image/png'), value: 'aGVsbG8=' },
      want: { text: 'hello', contentType: 'image/png' },
    },
  ],
  [
    'binary from base64url',
    {
      given: { binding: body('binary', 'application/octet-stream'), value: 'aGk_Pz8-' },
      want: { text: 'hi???>', contentType: 'application/octet-stream' },
    },
  ],
  [
    'binary with a media range',
    {
      given: { binding: body('binary', 'application/*'), value: '' },
      want: { text: '', contentType: 'application/octet-stream' },
    },
  ],
  [
    'form: form style, explode true',
    {
      given: {
        binding: body('form', 'application/x-www-form-urlencoded'),
        value: { name: 'a b&c', tags: ['x', 'y'], n: 1, skip: null },
      },
      want: { text: 'name=a+b%26c&tags=x&tags=y&n=1', contentType: 'application/x-www-form-urlencoded' },
    },
  ],
  [
    'form: nested objects as brackets',
    {
      given: { binding: body('form', 'application/x-www-form-urlencoded'), value: { a: { b: 'c', d: { e: true } } } },
      want: { text: 'a%5Bb%5D=c&a%5Bd%5D%5Be%5D=true', contentType: 'application/x-www-form-urlencoded' },
    },
  ],
  [
    'optional body omitted',
    {
      given: { binding: body('json', 'application/json', false), value: undefined },
      want: { text: undefined, contentType: undefined },
    },
  ],
];

describe('encodeBody', () => {
  it.each(cases)('%s', async (_, { given, want }) => {
    expect(await wire(given.binding, given.value)).toEqual(want);
  });
});

const rejected: Array<[string, { given: { binding: BodyBinding; value: unknown }; want: string }]> = [
  [
    'missing required body',
    {
      given: { binding: body('json', 'application/json'), value: undefined },
      want: 'missing_body: the request body "body" is required',
    },
  ],
  [
    'invalid base64',
    {
      given: { binding: body('binary', 'image/png'), value: 'not base64!' },
      want: 'invalid_body: the binary body is not valid base64',
    },
  ],
  [
    'binary not a string',
    {
      given: { binding: body('binary', 'image/png'), value: [1, 2] },
      want: 'invalid_body: a binary body must be a base64 string',
    },
  ],
  [
    'text object',
    {
      given: { binding: body('text', 'text/plain'), value: { a: 1 } },
      want: 'invalid_body: a text body must be a string',
    },
  ],
  [
    'form array',
    {
      given: { binding: body('form', 'application/x-www-form-urlencoded'), value: ['a'] },
      want: 'invalid_body: a form or multipart body must be an object',
    },
  ],
  [
    'multipart file with bad base64',
    {
      given: { binding: body('multipart', 'multipart/form-data'), value: { f: { content: '%%' } } },
      want: 'invalid_body: the file "f" is not valid base64',
    },
  ],
];

describe('encodeBody: rejected bodies', () => {
  it.each(rejected)('%s', (_, { given, want }) => {
    let got: string | undefined;
    try {
      encodeBody(given.binding, given.value);
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      got = `${error.code}: ${error.message}`;
    }
    expect(got).toBe(want);
  });
});

describe('encodeBody: multipart', () => {
  it('sends fields, JSON objects, repeated parts and files, leaving the boundary to fetch', async () => {
    const encoded = encodeBody(body('multipart', 'multipart/form-data'), {
      title: 'Cat',
      count: 3,
      meta: { a: 1 },
      tags: ['x', 'y'],
      photo: { content: 'aGVsbG8=', filename: 'cat.png', contentType: 'image/png' },
      raw: { content: 'AAE=' },
      none: null,
    });
    expect(encoded.contentType).toBeUndefined();
    const form = encoded.body as FormData;
    expect([...form.keys()]).toEqual(['title', 'count', 'meta', 'tags', 'tags', 'photo', 'raw']);
    expect(form.get('title')).toBe('Cat');
    expect(form.get('count')).toBe('3');
    expect(form.get('meta')).toBe('{"a":1}');
    expect(form.getAll('tags')).toEqual(['x', 'y']);
    const photo = form.get('photo') as File;
    expect([photo.name, photo.type, await photo.text()]).toEqual(['cat.png', 'image/png', 'hello']);
    const raw = form.get('raw') as File;
    expect([raw.name, raw.type, [...new Uint8Array(await raw.arrayBuffer())]]).toEqual([
      'raw',
      'application/octet-stream',
      [0, 1],
    ]);
  });

  it('treats an object with keys beyond content, filename and contentType as JSON', () => {
    const form = encodeBody(body('multipart', 'multipart/form-data'), { doc: { content: 'x', author: 'me' } })
      .body as FormData;
    expect(form.get('doc')).toBe('{"content":"x","author":"me"}');
  });
});
