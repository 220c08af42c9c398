/**
 * JSON Pointer (RFC 6901), the one place the generator escapes and unescapes
 * reference tokens. (The runtime reads `#/$defs/<name>` references through
 * templates/runtime/mcp/local-defs.ts.)
 * @see https://www.rfc-editor.org/rfc/rfc6901
 */

/** Escape one reference token (RFC 6901 §3): `~` as `~0` first, then `/` as `~1`. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Unescape one reference token (RFC 6901 §4): `~1` first, then `~0`, so `~01` stays `~1`. */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A JSON pointer from unescaped tokens: `pointer('paths', '/pets')` is `/paths/~1pets`. */
export function pointer(...tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + escapePointerToken(String(t))).join('');
}

/**
 * One token of a pointer written in a URI fragment (RFC 6901 §6): percent-
 * decoded (RFC 3986 §2.1), then unescaped. A token that is not valid
 * percent-encoding is taken as written.
 */
export function decodeFragmentToken(raw: string): string {
  // Most tokens hold neither: nothing to decode (issue 8: ~100k tokens on GitHub's spec).
  if (!raw.includes('%') && !raw.includes('~')) return raw;
  let token = raw;
  try {
    token = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  return unescapePointerToken(token);
}

/** The tokens of a pointer written in a URI fragment (without its `#`); `''` is the whole document. */
export function fragmentTokens(fragment: string): string[] {
  return fragment === '' ? [] : fragment.slice(1).split('/').map(decodeFragmentToken);
}
