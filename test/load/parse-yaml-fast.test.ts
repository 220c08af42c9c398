import { describe, expect, test } from 'vitest';
import { parseYamlFast } from '../../src/load/parse-yaml-fast.js';
import { parseText } from '../../src/load/parse-text.js';

describe('parseYamlFast (js-yaml, with `yaml` as the precise fallback)', () => {
  test('core schema: dates and yes/no stay strings, numbers and booleans are typed', () => {
    expect(parseYamlFast('a: 2024-01-01\nb: yes\nc: 0x10\nd: true\ne: ~\n')).toEqual({
      a: '2024-01-01',
      b: 'yes',
      c: 16,
      d: true,
      e: null,
    });
  });

  test('merge keys are honoured, like the `yaml` settings', () => {
    expect(parseYamlFast('base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n')).toEqual({ base: { x: 1 }, d: { x: 1, y: 2 } });
  });

  test.each([
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1, 2\n'],
    ['an unknown tag', 'a: !custom 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
  ])('%s: left to the precise parser', (_label, text) => {
    expect(parseYamlFast(text)).toBeUndefined();
  });

  test('aliases that expand past the budget (an alias bomb) are left to the precise parser', () => {
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
    expect(parseYamlFast(bomb, 500)).toBeUndefined();
    expect(parseYamlFast(bomb, 5_000)).toBeDefined();
  });

  test('duplicate keys still give the warning and the last value through parseText', () => {
    const parsed = parseText('a: 1\na: 2\n', 'spec.yaml', '.yaml');
    expect(parsed.value).toEqual({ a: 2 });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['SPEC_INVALID']);
  });
});
