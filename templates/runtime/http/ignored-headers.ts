/**
 * Header parameters with these names SHALL be ignored (OpenAPI 3.1 §4.8.12.1):
 * the runtime sets `Accept` and `Content-Type` itself, and `Authorization` may
 * only come from configured credentials. The generator leaves them out of tool
 * inputs and the runtime drops them from calls, both from this one list.
 * @see https://spec.openapis.org/oas/v3.1.0#fixed-fields-9
 */
export const IGNORED_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type', 'authorization']);

/** Whether a header parameter of this name is ignored; header names compare case-insensitively (RFC 9110 §5.1). */
export function isIgnoredHeader(name: string): boolean {
  return IGNORED_HEADERS.has(name.toLowerCase());
}
