import { isAscii } from 'node:buffer';

/** Bytes checked per `isAscii` call (SIMD): GitHub's 13 MB spec is ~3,200 calls, a fraction of a millisecond. */
const CHUNK = 4096;
const BACKSLASH = 0x5c;

/**
 * JSON text for `JSON.parse` that never needs UTF-8 decoding: the bytes as Latin-1 (a copy), with
 * each run of non-ASCII bytes decoded and written as `\uXXXX` escapes. Where `JSON.parse` accepts
 * it, it gives exactly the value of `JSON.parse` on the UTF-8 text, since outside a string a
 * non-ASCII character is an error either way (RFC 8259 §2: JSON's structural characters and
 * whitespace are ASCII) and inside one `\uXXXX` is the character (§7). Decoding 13 MB of
 * UTF-8 took ~19 ms on GitHub's spec, which has 58 non-ASCII characters; Latin-1 takes ~5 ms,
 * and the loader and the validation worker both decode it (issue 8).
 *
 * Undefined where the escapes could change the meaning, so the caller decodes as usual: a run
 * right after a backslash (`\é` is an invalid escape, `\\u00e9` would not be), and bytes that are
 * not valid UTF-8 (decoded as U+FFFD, which the caller's decoder decides about).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-7
 */
export function asciiJsonText(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = buffer.length;
  let text = '';
  let copied = 0;
  let at = 0;
  while (at < length) {
    const end = Math.min(at + CHUNK, length);
    if (isAscii(buffer.subarray(at, end))) {
      at = end;
      continue;
    }
    while ((buffer[at] as number) < 0x80) at++;
    let runEnd = at + 1;
    while (runEnd < length && (buffer[runEnd] as number) >= 0x80) runEnd++;
    if (at > 0 && buffer[at - 1] === BACKSLASH) return undefined;
    const decoded = buffer.toString('utf8', at, runEnd);
    if (decoded.includes('\ufffd')) return undefined;
    text += buffer.toString('latin1', copied, at) + escaped(decoded);
    copied = runEnd;
    at = runEnd;
  }
  return copied === 0 ? buffer.toString('latin1') : text + buffer.toString('latin1', copied, length);
}

/** Every UTF-16 unit as a `\uXXXX` escape (a character outside the BMP as its surrogate pair, as JSON writes it). */
function escaped(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * `JSON.parse` of JSON bytes through `asciiJsonText`: the parsed value, or undefined where that
 * text cannot stand for the bytes or does not parse (the caller then decodes and parses as usual,
 * which also gives the error and its position in the real text).
 */
export function parseAsciiJson(bytes: Uint8Array): { value: unknown } | undefined {
  const text = asciiJsonText(bytes);
  if (text === undefined) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
