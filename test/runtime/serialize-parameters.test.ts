import { describe, expect, it } from 'vitest';
import type { ParameterBinding } from '../../templates/runtime/mcp/types.js';
import { serializeParameters } from '../../templates/runtime/http/serialize-parameters.js';
import { binding, param, serializeOne } from './support/parameters.js';

const blue = 'blue';
const array = ['blue', 'black'];
const object = { R: 100, G: 200, B: 150 };

// https://spec.openapis.org/oas/v3.1.0#style-examples
const styleExamples: Array<[string, { given: { p: ParameterBinding; value: unknown }; want: string }]> = [
  ['path matrix empty', { given: { p: param('path', 'matrix', false), value: '' }, want: ';color' }],
  ['path matrix string', { given: { p: param('path', 'matrix', false), value: blue }, want: ';color=blue' }],
  ['path matrix array', { given: { p: param('path', 'matrix', false), value: array }, want: ';color=blue,black' }],
  [
    'path matrix object',
    { given: { p: param('path', 'matrix', false), value: object }, want: ';color=R,100,G,200,B,150' },
  ],
  ['path matrix* string', { given: { p: param('path', 'matrix', true), value: blue }, want: ';color=blue' }],
  [
    'path matrix* array',
    { given: { p: param('path', 'matrix', true), value: array }, want: ';color=blue;color=black' },
  ],
  ['path matrix* object', { given: { p: param('path', 'matrix', true), value: object }, want: ';R=100;G=200;B=150' }],
  ['path label empty', { given: { p: param('path', 'label', false), value: [] }, want: '.' }],
  ['path label string', { given: { p: param('path', 'label', false), value: blue }, want: '.blue' }],
  ['path label array', { given: { p: param('path', 'label', false), value: array }, want: '.blue,black' }],
  ['path label object', { given: { p: param('path', 'label', false), value: object }, want: '.R,100,G,200,B,150' }],
  ['path label* array', { given: { p: param('path', 'label', true), value: array }, want: '.blue.black' }],
  ['path label* object', { given: { p: param('path', 'label', true), value: object }, want: '.R=100.G=200.B=150' }],
  ['path simple string', { given: { p: param('path', 'simple', false), value: blue }, want: 'blue' }],
  ['path simple array', { given: { p: param('path', 'simple', false), value: array }, want: 'blue,black' }],
  ['path simple object', { given: { p: param('path', 'simple', false), value: object }, want: 'R,100,G,200,B,150' }],
  ['path simple* array', { given: { p: param('path', 'simple', true), value: array }, want: 'blue,black' }],
  ['path simple* object', { given: { p: param('path', 'simple', true), value: object }, want: 'R=100,G=200,B=150' }],
  ['query form empty', { given: { p: param('query', 'form', false), value: '' }, want: 'color=' }],
  ['query form string', { given: { p: param('query', 'form', false), value: blue }, want: 'color=blue' }],
  ['query form array', { given: { p: param('query', 'form', false), value: array }, want: 'color=blue,black' }],
  [
    'query form object',
    { given: { p: param('query', 'form', false), value: object }, want: 'color=R,100,G,200,B,150' },
  ],
  ['query form* string', { given: { p: param('query', 'form', true), value: blue }, want: 'color=blue' }],
  ['query form* array', { given: { p: param('query', 'form', true), value: array }, want: 'color=blue&color=black' }],
  ['query form* object', { given: { p: param('query', 'form', true), value: object }, want: 'R=100&G=200&B=150' }],
  [
    'query spaceDelimited array',
    { given: { p: param('query', 'spaceDelimited', false), value: array }, want: 'color=blue%20black' },
  ],
  [
    'query spaceDelimited object',
    { given: { p: param('query', 'spaceDelimited', false), value: object }, want: 'color=R%20100%20G%20200%20B%20150' },
  ],
  [
    'query pipeDelimited array',
    { given: { p: param('query', 'pipeDelimited', false), value: array }, want: 'color=blue|black' },
  ],
  [
    'query pipeDelimited object',
    { given: { p: param('query', 'pipeDelimited', false), value: object }, want: 'color=R|100|G|200|B|150' },
  ],
  [
    'query deepObject object',
    { given: { p: param('query', 'deepObject', true), value: object }, want: 'color[R]=100&color[G]=200&color[B]=150' },
  ],
  ['header simple string', { given: { p: param('header', 'simple', false), value: blue }, want: 'blue' }],
  ['header simple array', { given: { p: param('header', 'simple', false), value: array }, want: 'blue,black' }],
  [
    'header simple object',
    { given: { p: param('header', 'simple', false), value: object }, want: 'R,100,G,200,B,150' },
  ],
  [
    'header simple* object',
    { given: { p: param('header', 'simple', true), value: object }, want: 'R=100,G=200,B=150' },
  ],
  ['cookie form string', { given: { p: param('cookie', 'form', false), value: blue }, want: 'color=blue' }],
  ['cookie form array', { given: { p: param('cookie', 'form', false), value: array }, want: 'color=blue,black' }],
  [
    'cookie form object',
    { given: { p: param('cookie', 'form', false), value: object }, want: 'color=R,100,G,200,B,150' },
  ],
  [
    'cookie form* array',
    { given: { p: param('cookie', 'form', true), value: array }, want: 'color=blue; color=black' },
  ],
  ['cookie form* object', { given: { p: param('cookie', 'form', true), value: object }, want: 'R=100; G=200; B=150' }],
];

describe('serializeParameters: OpenAPI 3.1 style examples', () => {
  it.each(styleExamples)('%s', (_, { given, want }) => {
    expect(serializeOne(given.p, given.value)).toBe(want);
  });
});

describe('serializeParameters: request assembly', () => {
  it('omits undefined and null optional parameters and ignores Authorization, Accept and Content-Type headers', () => {
    const http = binding(
      [
        param('query', 'form', true),
        { ...param('query', 'form', true), name: 'n', argument: 'n' },
        { ...param('header', 'simple', false), name: 'Authorization', argument: 'auth' },
        { ...param('header', 'simple', false), name: 'accept', argument: 'auth' },
        { ...param('header', 'simple', false), name: 'X-Trace', argument: 'trace' },
        { ...param('cookie', 'form', false), name: 'c', argument: 'c' },
      ],
      '/pets',
    );
    expect(
      serializeParameters(http, { color: undefined, n: null, auth: 'Bearer stolen', trace: 't1', c: 'v' }),
    ).toEqual({
      path: '/pets',
      query: '',
      headers: { 'X-Trace': 't1' },
      cookies: 'c=v',
    });
  });

  it('joins several parameters of each location', () => {
    const http = binding(
      [
        { ...param('path', 'simple', false), name: 'id', argument: 'id' },
        { ...param('query', 'form', true), name: 'tags', argument: 'tags' },
        { ...param('query', 'form', true), name: 'limit', argument: 'limit' },
        { ...param('cookie', 'form', false), name: 'a', argument: 'a' },
        { ...param('cookie', 'form', false), name: 'b', argument: 'b' },
      ],
      '/pets/{id}/photos',
    );
    expect(serializeParameters(http, { id: 42, tags: ['x', 'y'], limit: 10, a: '1', b: '2' })).toEqual({
      path: '/pets/42/photos',
      query: 'tags=x&tags=y&limit=10',
      headers: {},
      cookies: 'a=1; b=2',
    });
  });
});
