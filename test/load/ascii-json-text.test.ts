import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJsonText, parseAsciiJson } from '../../src/load/ascii-json-text.js';
import { parseBytes, parseText } from '../../src/load/parse-text.js';
import { singleJsonFromBytes } from '../../src/load/single-json-document.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
/** What the loader did before (issue 8): decode the UTF-8, then parse. */
const decoded = (text: string) => parseText(text, 'spec.json', '.json').value;

describe('asciiJsonText: JSON text without UTF-8 decoding (issue 8)', () => {
  it('parses to the value of the decoded text, for any JSON with any characters', () => {
    for (const stringUnit of ['grapheme', 'binary'] as const) {
      fc.assert(
        fc.property(fc.jsonValue({ stringUnit }), fc.constantFrom(undefined, 2), (value, indent) => {
          const text = JSON.stringify(value, null, indent);
          const ascii = asciiJsonText(bytes(text));
          // Declined only where a non-ASCII character follows a backslash (an escaped `\\` here), or
          // where U+FFFD is (it cannot tell a replaced invalid byte from the character itself).
          expect(ascii === undefined).toBe(/\\[^\x00-\x7f]|\ufffd/.test(text));
          if (ascii === undefined) return;
          expect(ascii).toMatch(/^[\x00-\x7f]*$/);
          expect(JSON.parse(ascii)).toEqual(JSON.parse(text));
        }),
        { numRuns: 1000 },
      );
    }
  });

  it('keeps ASCII as it is and writes other characters as escapes, surrogate pairs included', () => {
    expect(asciiJsonText(bytes('{"a": [1, "b"]}'))).toBe('{"a": [1, "b"]}');
    expect(asciiJsonText(bytes('{"caf\u00e9": "\u2019\ud83d\ude00"}'))).toBe('{"caf\\u00e9": "\\u2019\\ud83d\\ude00"}');
    // A run across the 4 KB chunks it checks at a time.
    const long = `{"k": "${'x'.repeat(4093)}\u00e9\u00e9\u00e9"}`;
    expect(JSON.parse(asciiJsonText(bytes(long))!)).toEqual(JSON.parse(long));
  });

  it('declines where an escape could change the meaning: after a backslash, and bytes that are not UTF-8', () => {
    // `"\é"` is an invalid escape; written as `\\u00e9` it would be a valid backslash and "u00e9".
    expect(asciiJsonText(bytes('{"a": "\\\u00e9"}'))).toBeUndefined();
    expect(asciiJsonText(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBeUndefined();
  });

  it('a byte order mark or a non-ASCII character outside a string does not parse: the caller decodes', () => {
    expect(parseAsciiJson(bytes('\ufeff{"a": 1}'))).toBeUndefined();
    expect(parseAsciiJson(bytes('{"a": 1\u00a0}'))).toBeUndefined();
  });
});

describe('parseBytes: the value, diagnostics and errors of parseText on the decoded text', () => {
  const texts = [
    '{"a": "caf\u00e9", "b": ["\u2019", 1.5e3, null]}',
    '\n\t {"a": 1}',
    '\ufeff{"a": "\u00e9"}',
    '\u00a0{"a": 1}',
    '{"a": "\\\u00e9"}',
    '{"a": 1\u00a0}',
    '{"a": \u00e9}',
    '"a JSON string is not a document"',
    'openapi: 3.0.3\ntitle: caf\u00e9\n',
    '[1, 2',
  ];
  it.each(texts.map((t) => [JSON.stringify(t), t]))('%s', (_, text) => {
    for (const extension of ['.json', '.yaml', '']) {
      const outcome = (parse: () => unknown) => {
        try {
          return { ok: parse() };
        } catch (error) {
          return { error: (error as { diagnostics?: unknown }).diagnostics ?? String(error) };
        }
      };
      expect(outcome(() => parseBytes(bytes(text), 'spec', extension))).toEqual(
        outcome(() => parseText(text, 'spec', extension)),
      );
    }
  });

  it('the validation worker rebuilds the same document from the bytes', () => {
    const text = '\ufeff{"openapi": "3.0.3", "info": {"title": "caf\u00e9 \ud83d\ude00"}, "paths": {}}';
    expect(singleJsonFromBytes(bytes(text), 'openapi3')).toEqual(decoded(text));
    const plain = '{"openapi": "3.0.3", "info": {"title": "caf\u00e9"}, "paths": {}}';
    expect(singleJsonFromBytes(bytes(plain), 'openapi3')).toEqual(decoded(plain));
  });
});
