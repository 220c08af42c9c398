import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `Host = uri-host [ ":" port ]` (RFC 9110 §7.2) with `uri-host` an RFC 3986 §3.2.2 host:
 * an IP literal in brackets, or a reg-name of unreserved, pct-encoded and sub-delims
 * characters (IPv4 addresses are reg-names too). No userinfo, path, query or fragment.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.2
 */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::(\d{0,5}))?$/;

export type HostProblem = 'more than one Host header' | 'userinfo in the Host header' | 'malformed Host header';

/** What is wrong with the request's Host header, if anything. A missing Host is left to Node (HTTP/1.1) and the allow-list check. */
export function hostProblem(req: IncomingMessage): HostProblem | undefined {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === 'host') count += 1;
  }
  if (count > 1) return 'more than one Host header';
  const host = req.headers.host;
  if (host === undefined || host === '') return undefined;
  if (host.includes('@')) return 'userinfo in the Host header';
  const match = HOST.exec(host);
  if (!match || (match[1] !== undefined && match[1] !== '' && Number(match[1]) > 65535)) return 'malformed Host header';
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
