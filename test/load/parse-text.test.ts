import { describe, expect, it } from 'vitest';
import { FatalDiagnosticsError } from '../../src/diagnostics.js';
import { parseText, positionOf } from '../../src/load/parse-text.js';

describe('parseText', () => {
  const failures: [string, { text: string; extension: string; line: number; column: number; message: RegExp }][] = [
    [
      'unclosed JSON object',
      { text: '{\n  "a": 1', extension: '.json', line: 2, column: 9, message: /Expected ',' or '}'|end of JSON/ },
    ],
    [
      'trailing comma in JSON',
      { text: '{\n  "a": 1,\n}', extension: '.json', line: 3, column: 1, message: /property name/ },
    ],
    [
      'JSON file that is not JSON',
      { text: 'openapi: 3.0.0', extension: '.json', line: 1, column: 1, message: /must start with/ },
    ],
    ['tab indentation in YAML', { text: 'a:\n\tb: 1\n', extension: '.yaml', line: 2, column: 1, message: /Tabs|tab/ }],
    ['unterminated YAML flow map', { text: 'a: 1\nb: {c: 1\n', extension: '.yaml', line: 3, column: 1, message: /\}/ }],
  ];
  it.each(failures)('%s -> INPUT_PARSE_ERROR with position', (_name, { text, extension, line, column, message }) => {
    let error: unknown;
    try {
      parseText(text, 'spec' + extension, extension);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FatalDiagnosticsError);
    const [d] = (error as FatalDiagnosticsError).diagnostics;
    expect(d).toMatchObject({ code: 'INPUT_PARSE_ERROR', severity: 'error', file: 'spec' + extension, line, column });
    expect(d?.message).toMatch(message);
  });

  const successes: [string, { text: string; extension: string; want: unknown }][] = [
    ['JSON', { text: '{"openapi":"3.0.0"}', extension: '.json', want: { openapi: '3.0.0' } }],
    ['JSON with a BOM', { text: '\ufeff{"a":1}', extension: '.json', want: { a: 1 } }],
    ['YAML dates stay strings', { text: 'a: 2024-01-01\n', extension: '.yaml', want: { a: '2024-01-01' } }],
    [
      'YAML numeric keys become strings',
      {
        text: 'responses:\n  200: {description: OK}\n',
        extension: '.yaml',
        want: { responses: { '200': { description: 'OK' } } },
      },
    ],
    [
      'YAML merge keys',
      {
        text: 'base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n',
        extension: '.yaml',
        want: { base: { x: 1 }, use: { x: 1, y: 2 } },
      },
    ],
    ['JSON-looking YAML in a .yaml file', { text: '{a: 1, b: [2]}', extension: '.yaml', want: { a: 1, b: [2] } }],
  ];
  it.each(successes)('parses %s', (_name, { text, extension, want }) => {
    // `shape` tells later walks whether objects may be shared (YAML aliases) or not (JSON).
    expect(parseText(text, 'spec' + extension, extension)).toEqual({
      value: want,
      diagnostics: [],
      shape: extension === '.json' ? 'tree' : 'graph',
    });
  });

  it('computes 1-based line and column of an offset', () => {
    expect(positionOf('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
