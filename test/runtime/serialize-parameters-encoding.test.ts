import { describe, expect, it } from 'vitest';
import type { HttpBinding, ParameterBinding } from '../../templates/runtime/mcp/types.js';
import { serializeParameters } from '../../templates/runtime/http/serialize-parameters.js';
import { binding, codeOf, param, serializeOne } from './support/parameters.js';

const encoding: Array<[string, { given: { p: ParameterBinding; value: unknown }; want: string }]> = [
  [
    'path: "../admin" keeps its slash encoded',
    { given: { p: param('path', 'simple', false), value: '../admin' }, want: '..%2Fadmin' },
  ],
  ['path: "a/b"', { given: { p: param('path', 'simple', false), value: 'a/b' }, want: 'a%2Fb' }],
  [
    'path: an encoded slash is re-encoded',
    { given: { p: param('path', 'simple', false), value: '%2F' }, want: '%252F' },
  ],
  [
    'path: "%2E%2E" is re-encoded',
    { given: { p: param('path', 'simple', false), value: '%2E%2E' }, want: '%252E%252E' },
  ],
  ['path: "a?b#c"', { given: { p: param('path', 'simple', false), value: 'a?b#c' }, want: 'a%3Fb%23c' }],
  ['path: CRLF', { given: { p: param('path', 'simple', false), value: 'a\r\nb' }, want: 'a%0D%0Ab' }],
  ['path: backslash', { given: { p: param('path', 'simple', false), value: '..\\x' }, want: '..%5Cx' }],
  [
    'path: style delimiters in values',
    { given: { p: param('path', 'simple', false), value: ['a,b', 'c;d=e'] }, want: 'a%2Cb,c%3Bd%3De' },
  ],
  ['path: UTF-8', { given: { p: param('path', 'simple', false), value: 'é' }, want: '%C3%A9' }],
  ['path: lone surrogate', { given: { p: param('path', 'simple', false), value: '\uD800' }, want: '%EF%BF%BD' }],
  [
    'path: a template variable in a value is not expanded',
    { given: { p: param('path', 'simple', false), value: '{color}' }, want: '%7Bcolor%7D' },
  ],
  ['path: "..." is not a dot segment', { given: { p: param('path', 'label', false), value: '..' }, want: '...' }],
  [
    'path: numbers and booleans',
    { given: { p: param('path', 'simple', false), value: [1.5, true] }, want: '1.5,true' },
  ],
  [
    'query: reserved characters encoded',
    { given: { p: param('query', 'form', true), value: 'a b&c=d/e?' }, want: 'color=a%20b%26c%3Dd%2Fe%3F' },
  ],
  [
    'query: allowReserved keeps reserved characters',
    {
      given: { p: param('query', 'form', true, { allowReserved: true }), value: "a/b?c:d@e!$'()*,;" },
      want: "color=a/b?c:d@e!$'()*,;",
    },
  ],
  [
    'query: allowReserved still encodes delimiters',
    {
      given: { p: param('query', 'form', true, { allowReserved: true }), value: 'a&b=c#d+e[f]' },
      want: 'color=a%26b%3Dc%23d%2Be%5Bf%5D',
    },
  ],
  [
    'query: allowReserved keeps triples only',
    { given: { p: param('query', 'form', true, { allowReserved: true }), value: '%41%zz' }, want: 'color=%41%25zz' },
  ],
  [
    'query: deepObject keys are encoded',
    { given: { p: param('query', 'deepObject', true), value: { 'a]&x=': '1' } }, want: 'color[a%5D%26x%3D]=1' },
  ],
  [
    'query: deepObject nests',
    {
      given: { p: param('query', 'deepObject', true), value: { a: { b: 1 }, c: [1, 2] } },
      want: 'color[a][b]=1&color[c]=1&color[c]=2',
    },
  ],
  [
    'query: nested values as JSON',
    { given: { p: param('query', 'form', false), value: [{ a: 1 }] }, want: 'color=%7B%22a%22%3A1%7D' },
  ],
  [
    'query: content JSON',
    {
      given: { p: param('query', 'form', true, { contentType: 'application/json' }), value: { a: [1] } },
      want: 'color=%7B%22a%22%3A%5B1%5D%7D',
    },
  ],
  [
    'header: content JSON',
    {
      given: { p: param('header', 'simple', false, { contentType: 'application/json' }), value: { a: 'x' } },
      want: '{"a":"x"}',
    },
  ],
  [
    'cookie: non cookie-octets encoded',
    { given: { p: param('cookie', 'form', false), value: 'a;b c"d,e\\%' }, want: 'color=a%3Bb%20c%22d%2Ce%5C%25' },
  ],
];

describe('serializeParameters: encoding', () => {
  it.each(encoding)('%s', (_, { given, want }) => {
    expect(serializeOne(given.p, given.value)).toBe(want);
  });
});

const rejected: Array<[string, { given: { http: HttpBinding; args: Record<string, unknown> }; want: string }]> = [
  [
    'path ".."',
    {
      given: { http: binding([param('path', 'simple', false)]), args: { color: '..' } },
      want: 'invalid_path_parameter: a path parameter must not form a "." or ".." path segment',
    },
  ],
  [
    'path "."',
    {
      given: { http: binding([param('path', 'simple', false)]), args: { color: '.' } },
      want: 'invalid_path_parameter: a path parameter must not form a "." or ".." path segment',
    },
  ],
  [
    'path dots split over two variables',
    {
      given: {
        http: binding(
          [param('path', 'simple', false), { ...param('path', 'simple', false), name: 'y', argument: 'y' }],
          '/x/{color}{y}',
        ),
        args: { color: '.', y: '.' },
      },
      want: 'invalid_path_parameter: a path parameter must not form a "." or ".." path segment',
    },
  ],
  [
    'path label empty as a whole segment',
    {
      given: { http: binding([param('path', 'label', false)]), args: { color: [] } },
      want: 'invalid_path_parameter: a path parameter must not form a "." or ".." path segment',
    },
  ],
  [
    'path empty',
    {
      given: { http: binding([param('path', 'simple', false)]), args: { color: '' } },
      want: 'invalid_path_parameter: path parameter "color" must not be empty',
    },
  ],
  [
    'path missing',
    {
      given: { http: binding([param('path', 'simple', false)]), args: {} },
      want: 'missing_path_parameter: path parameter "color" is required',
    },
  ],
  [
    'path null',
    {
      given: { http: binding([param('path', 'simple', false)]), args: { color: null } },
      want: 'missing_path_parameter: path parameter "color" is required',
    },
  ],
  [
    'path variable without binding',
    { given: { http: binding([]), args: {} }, want: 'missing_path_parameter: path parameter "color" is required' },
  ],
  [
    'path from the prototype',
    {
      given: { http: binding([{ ...param('path', 'simple', false), argument: 'toString' }]), args: {} },
      want: 'missing_path_parameter: path parameter "color" is required',
    },
  ],
  [
    'header CRLF',
    {
      given: { http: binding([param('header', 'simple', false)], '/'), args: { color: 'a\r\nX-Evil: 1' } },
      want: 'invalid_header_value: header parameter "color" must not contain CR, LF or NUL',
    },
  ],
  [
    'header LF in an array item',
    {
      given: { http: binding([param('header', 'simple', false)], '/'), args: { color: ['a', 'b\nc'] } },
      want: 'invalid_header_value: header parameter "color" must not contain CR, LF or NUL',
    },
  ],
  [
    'header NUL',
    {
      given: { http: binding([param('header', 'simple', false)], '/'), args: { color: 'a\0' } },
      want: 'invalid_header_value: header parameter "color" must not contain CR, LF or NUL',
    },
  ],
  [
    'cookie CRLF',
    {
      given: { http: binding([param('cookie', 'form', false)], '/'), args: { color: 'a\r\nb' } },
      want: 'invalid_header_value: cookie parameter "color" must not contain CR, LF or NUL',
    },
  ],
];

describe('serializeParameters: rejected values', () => {
  it.each(rejected)('%s', (_, { given, want }) => {
    expect(codeOf(() => serializeParameters(given.http, given.args))).toBe(want);
  });
});
