import ipaddr from 'ipaddr.js';

/**
 * Address ranges that are not on the public internet: loopback (RFC 1122
 * §3.2.1.3, RFC 4291 §2.5.3), private (RFC 1918), link-local (RFC 3927,
 * RFC 4291 §2.5.6), shared address space (RFC 6598), unique local
 * (RFC 4193) and the unspecified address, which reaches the local host.
 * Range names are ipaddr.js's.
 */
const NON_PUBLIC = new Set(['unspecified', 'loopback', 'private', 'linkLocal', 'carrierGradeNat', 'uniqueLocal']);

/**
 * True for an http(s) URL on a loopback or private-network host: `localhost`
 * and its subdomains (RFC 6761 §6.3), or an IP literal in a non-public range,
 * IPv4-mapped IPv6 forms (`::ffff:127.0.0.1`) read as the IPv4 address they
 * carry. Host names are not resolved: only literals are judged.
 */
export function isPrivateUrl(location: string): boolean {
  if (!/^https?:\/\//i.test(location)) return false;
  let hostname: string;
  try {
    // WHATWG URL parsing normalizes `0x7f.1` and `2130706433` to `127.0.0.1` first.
    hostname = new URL(location).hostname;
  } catch {
    return false;
  }
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (!ipaddr.isValid(host)) return false;
  return NON_PUBLIC.has(ipaddr.process(host).range());
}
