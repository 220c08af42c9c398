import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import { PRETTIER_OPTIONS } from '../../src/emit/format.js';
import { printLiteral, width } from '../../src/emit/print-literal.js';

/** The generator's own prettier options: the printers must match what it would format. */
const OPTIONS = { ...PRETTIER_OPTIONS, parser: 'typescript' };
const long = (n: number) => 'word '.repeat(n).trim();

/** What the tables were before printLiteral: JSON.stringify text, formatted by prettier. */
async function viaPrettier(value: unknown): Promise<string> {
  return prettier.format(`export const tool: ToolDefinition = ${JSON.stringify(value, null, 2)};\n`, OPTIONS);
}

const direct = (value: unknown) =>
  `export const tool: ToolDefinition = ${printLiteral(value, 0, 'export const tool: ToolDefinition = '.length, 1)};\n`;

/** Each row is a case prettier lays out in its own way; the printer must match prettier byte for byte. */
const CASES: [string, unknown][] = [
  [
    'keys: identifiers bare, others quoted, numbers quoted',
    { a: 1, 'x-foo': 2, '200': 3, $ref: '#/a', _b: 4, 'a b': 5, ünï: 6, ключ: 7, '3d': 8 },
  ],
  [
    'quotes: the one needing fewer escapes',
    { a: "it's", b: 'say "hi"', c: `both ' and "`, d: `''"`, e: 'back\\slash \\" mixed', f: 'line\nbreak\ttab\u0001' },
  ],
  [
    'long strings: short keys never break, long keys move the string down',
    { name: long(30), description: long(30), title: long(22), in: long(40), $ref: long(40) },
  ],
  [
    'arrays: flat when they fit, else one per line',
    { required: ['a', 'b'], enum: Array.from({ length: 30 }, (_, i) => `value_${i}`) },
  ],
  [
    'numbers: filled; exponents normalised; negatives',
    { enum: Array.from({ length: 60 }, (_, i) => i * 1001), big: 1e21, small: 1.5e-7, neg: -3, negs: [-1, 2, -3.5] },
  ],
  [
    'nested arrays: matrices break',
    {
      security: [[]],
      pairs: [
        ['a', 'b'],
        ['c', 'd'],
      ],
      single: [['a', 'b']],
      mixed: [['a'], ['b', 'c']],
    },
  ],
  [
    'objects: empty stays inline, non-empty always breaks',
    { a: {}, b: [], c: [{}], d: { e: { f: null } }, g: [{ h: 1 }, 'x'], i: [null, true, false] },
  ],
  [
    'undefined dropped like JSON.stringify',
    {
      a: undefined,
      b: [undefined, 1],
      c: Number.NaN,
      d: Number.POSITIVE_INFINITY,
      e: [1, Number.NaN, ...Array(40).fill(12345)],
    },
  ],
  ['empty values after long keys', { ['e'.repeat(115)]: [], ['f'.repeat(116)]: {}, ['g'.repeat(117)]: '' }],
  [
    'a key so long that even `key: [` does not fit',
    { ['k'.repeat(118)]: [1, 2], ['q'.repeat(117)]: null, ['z'.repeat(116)]: { a: 1 }, ['n'.repeat(115)]: -5 },
  ],
  [
    'wide characters count twice',
    {
      description: '日本語のテキスト'.repeat(7),
      title: 'émoji 🎉 '.repeat(12),
      list: ['中文', '한국어'].concat(Array(18).fill('寬字符')),
    },
  ],
  [
    'deep indentation near the limit',
    { a: { b: { c: { d: { e: { description: long(21), list: ['x'.repeat(50), 'y'.repeat(40)] } } } } } },
  ],
];

describe('printLiteral writes what prettier would', () => {
  test.each(CASES)('%s', async (_name, value) => {
    expect(direct(value)).toBe(await viaPrettier(value));
  });

  test('its output is a prettier fixed point (prettier check passes)', async () => {
    for (const [, value] of CASES) expect(await prettier.check(direct(value), OPTIONS)).toBe(true);
  });
});

/** print-literal.ts measures text with prettier's standalone build (required when first needed), so that generation need not load its main entry. */
describe("width: the standalone build's getStringWidth", () => {
  test('measures every code point and the emoji sequences as the main entry does', () => {
    type Util = { util: { getStringWidth(text: string): number } };
    const main = (prettier as unknown as Util).util.getStringWidth;
    const texts: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x30000 ? 1 : 97) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      texts.push(String.fromCodePoint(cp), `a${String.fromCodePoint(cp)}\u0301`);
    }
    texts.push('👍🏽', '🇺🇸', '❤️', '#️⃣', '👨‍👩‍👧', '© ® ™', 'e\u0301', '\u200b', '日本語 text', '\u00ad', 'Ω≈ç√∫');
    const differ = texts.filter((text) => width(text) !== main(text));
    expect(differ).toEqual([]);
    expect(texts.some((text) => main(text) === 2)).toBe(true);
  });
});
