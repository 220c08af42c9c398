import fc from 'fast-check';

/**
 * Strings an attacker would try in any argument: traversal in every spelling, CR/LF/NUL
 * and header/cookie/query delimiters, lone surrogates and other unicode, and long runs.
 */
const SPECIMENS = [
  '..',
  '../..',
  '..\\..',
  '%2e%2e',
  '%2E%2E%2F',
  '..%2f',
  '%252e%252e%252f',
  '.%2e/',
  '\u002e\u002e\u2215',
  '．．／',
  '/etc/passwd',
  '//evil.example.test/x',
  'http://evil.example.test/',
  '@evil.example.test',
  '\r\nX-Injected: 1',
  'a\rb',
  'a\nb',
  '\u0000',
  'a\u0000b',
  '; sid=ATTACKER',
  '&api_key=ATTACKER',
  '?api_key=ATTACKER#',
  'api_key',
  '=',
  '%',
  '%zz',
  '\uD800',
  '\uDFFF\uD800',
  '😀👩‍👩‍👧',
  '\u202Eevil',
  'İı',
  '',
  ' ',
  '__proto__',
  'constructor',
] as const;

export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SPECIMENS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(...SPECIMENS), { maxLength: 4 }).map((parts) => parts.join('/')) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'A'.repeat(n)) },
  );
}

/** Any JSON value, with hostile strings and keys (including `__proto__`), a few levels deep. */
export function hostileJson(): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308),
      hostileString(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(hostileString(), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}
