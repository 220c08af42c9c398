import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateHostHeader } from '@modelcontextprotocol/server';

/**
 * `Host = uri-host [ ":" port ]` (RFC 9110 §7.2) with `uri-host` an RFC 3986 §3.2.2 host:
 * an IP literal in brackets, or a reg-name of unreserved, pct-encoded and sub-delims
 * characters (IPv4 addresses are reg-names too). No userinfo, path, query or fragment.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.2
 */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::(\d{0,5}))?$/;

/**
 * How many distinct Host values each check remembers as good. A client sends the same Host on
 * every request, so a handful suffices; a client varying it (ports, case) only finds the cache
 * full and is checked the long way, never wrongly: the cache holds exact header strings.
 */
const MAX_REMEMBERED_HOSTS = 64;

/** Host values known well-formed: the check is a pure function of the string, so its answer is kept. */
const wellFormedHosts = new Set<string>();

export type HostProblem = 'more than one Host header' | 'userinfo in the Host header' | 'malformed Host header';

/** What is wrong with the request's Host header, if anything. A missing Host is left to Node (HTTP/1.1) and the allow-list check. */
export function hostProblem(req: IncomingMessage): HostProblem | undefined {
  let count = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    // Only a 4-character name can be `Host`: the others are passed over without lower-casing.
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') count += 1;
  }
  if (count > 1) return 'more than one Host header';
  const host = req.headers.host;
  if (host === undefined || host === '' || wellFormedHosts.has(host)) return undefined;
  if (host.includes('@')) return 'userinfo in the Host header';
  const match = HOST.exec(host);
  if (!match || (match[1] !== undefined && match[1] !== '' && Number(match[1]) > 65535)) return 'malformed Host header';
  if (wellFormedHosts.size < MAX_REMEMBERED_HOSTS) wellFormedHosts.add(host);
  return undefined;
}

/**
 * RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
 * request message that ... contains more than one Host header field line or a Host header field
 * with an invalid field value." Answers and logs such a request (never the value: userinfo may be
 * a password) and returns false; returns true when the request may go on.
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-3.2
 */
export function acceptHost(req: IncomingMessage, res: ServerResponse, log: (line: string) => void): boolean {
  const problem = hostProblem(req);
  if (problem === undefined) return true;
  const remoteAddress = req.socket.remoteAddress;
  log(
    JSON.stringify({
      level: 'warn',
      msg: 'bad request',
      status: 400,
      reason: problem,
      ...(remoteAddress ? { remoteAddress } : {}),
    }),
  );
  res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: `Bad Request: ${problem}` } }));
  return false;
}

/**
 * DNS rebinding protection (MCP 2025-11-25 "Transports", Security Warning): the Host header's
 * hostname must be one of `allowedHostnames`. The SDK's rule (`validateHostHeader`, as its
 * `hostHeaderValidation` applies it) decides, and its refusal is answered the same way: 403 and
 * a JSON-RPC error. Hosts it accepted are remembered by their exact header value, so the common
 * request skips its URL parse; anything else (a refusal, a value not seen yet) asks it again.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning
 */
export function createHostCheck(
  allowedHostnames: readonly string[],
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = [...allowedHostnames];
  const accepted = new Set<string>();
  return (req, res) => {
    const host = req.headers.host;
    if (host !== undefined && accepted.has(host)) return true;
    const result = validateHostHeader(host, allowed);
    if (result.ok) {
      if (host !== undefined && accepted.size < MAX_REMEMBERED_HOSTS) accepted.add(host);
      return true;
    }
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32_000, message: result.message }, id: null }));
    return false;
  };
}
