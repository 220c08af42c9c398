/**
 * Whether `token` takes more than `maxBytes` bytes in UTF-8, the size limit
 * every credential is held to before it is parsed, hashed or sent anywhere.
 * A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, two
 * units, takes 4), so a string of at most `maxBytes / 3` units is within the
 * limit without counting: the common case of an ASCII token well under it.
 */
export function exceedsBytes(token: string, maxBytes: number): boolean {
  return token.length * 3 > maxBytes && Buffer.byteLength(token, 'utf8') > maxBytes;
}
