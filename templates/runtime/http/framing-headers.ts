/**
 * Header fields that would change how a request is framed or routed (RFC 9110 §7.2 `Host`,
 * §7.6.1 connection-specific fields, RFC 9112 §6 framing), or that would bypass the cookie-name
 * check (`Cookie`). Neither a tool argument nor a credential from the environment may set one,
 * whatever the spec declares: the runtime and node:http own them.
 */
export const FRAMING_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'cookie',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'content-length',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/**
 * Whether a security scheme may put its credential in this header: not a framing header, and not
 * one the runtime sets for every call (`Accept`, `Content-Type`), which the key would replace.
 * `Authorization` is where credentials belong. Header names compare case-insensitively (RFC 9110 §5.1).
 */
export function isCredentialHeaderAllowed(name: string): boolean {
  const lower = name.toLowerCase();
  return !FRAMING_HEADERS.has(lower) && lower !== 'accept' && lower !== 'content-type';
}
