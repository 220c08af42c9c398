import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsBytes } from '../../../templates/runtime/auth/token-size.js';

describe('exceedsBytes (the size limit of a credential, in UTF-8 bytes)', () => {
  it.each([
    ['ASCII well under the limit', 'a'.repeat(10), 100, false],
    ['ASCII at the limit', 'a'.repeat(100), 100, false],
    ['ASCII one over the limit', 'a'.repeat(101), 100, true],
    ['two-byte characters over the limit', 'é'.repeat(51), 100, true],
    ['two-byte characters at the limit', 'é'.repeat(50), 100, false],
    ['three-byte characters over the limit', '€'.repeat(34), 100, true],
    ['four-byte characters (surrogate pairs) over the limit', '😀'.repeat(26), 100, true],
    ['a lone surrogate (written as three bytes)', '\ud800'.repeat(34), 100, true],
  ])('%s', (_name, token, max, over) => {
    expect(exceedsBytes(token, max)).toBe(over);
  });

  it('agrees with Buffer.byteLength for any string and limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.nat(700), (token, max) => {
        expect(exceedsBytes(token, max)).toBe(Buffer.byteLength(token, 'utf8') > max);
      }),
      { numRuns: 500 },
    );
  });
});
