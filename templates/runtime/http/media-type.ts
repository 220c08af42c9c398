/**
 * Media types as written in `Content-Type` and in OpenAPI `content` keys
 * (RFC 9110 §8.3.1): `type "/" subtype *( OWS ";" OWS parameter )`. The
 * generator and the runtime read them through this module so that what the
 * generator takes for JSON is what the runtime parses as JSON.
 * Our own rather than a library: this is all of it, and generated projects
 * do not take on a dependency for it.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1
 */

/** `type/subtype`, lower case (both are case-insensitive), without parameters; `''` when absent. */
export function mediaTypeEssence(value: string | null | undefined): string {
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** JSON itself or a structured `+json` suffix (RFC 6839 §3.1): one JSON text. `essence` from {@link mediaTypeEssence}. */
export function isJsonMediaType(essence: string): boolean {
  return essence === 'application/json' || essence.endsWith('+json');
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** One `name=value` after a `;` (RFC 9110 §5.6.6); the value a token or a quoted string (§5.6.4). */
const PARAMETER = new RegExp(String.raw`^[ \t]*(${TOKEN})=("(?:[^"\\]|\\.)*"|${TOKEN})`);

/**
 * The value of a parameter (`charset`), its name matched case-insensitively
 * and a quoted string unquoted; the first wins when repeated. A malformed
 * parameter is skipped, and a `;` inside a quoted string does not start one.
 */
export function mediaTypeParameter(value: string | null | undefined, name: string): string | undefined {
  const text = value ?? '';
  const wanted = name.toLowerCase();
  let at = text.indexOf(';');
  while (at !== -1) {
    const match = PARAMETER.exec(text.slice(at + 1));
    if (match) {
      const raw = match[2] as string;
      if ((match[1] as string).toLowerCase() === wanted)
        return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      at += 1 + match[0].length;
    } else at += 1;
    at = text.indexOf(';', at);
  }
  return undefined;
}
