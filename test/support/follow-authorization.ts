/**
 * Plays the user agent for one authorization request (RFC 6749 §4.1.1): GETs the authorization
 * URL and follows the authorization server's redirects by hand, carrying its cookies (the
 * interaction and session cookies oidc-provider needs between hops), until a redirect reaches
 * `redirectUri`. Returns that callback URL's query (RFC 6749 §4.1.2: `code`, `state`, `iss`, or
 * `error`) without fetching it.
 *
 * Only hops on the authorization server's own origin are followed: a redirect anywhere else that
 * is not the redirect URI is an error, not a place to send the cookies.
 */
export async function followAuthorization(
  authorizationUrl: URL,
  redirectUri: string,
  maxHops = 20,
): Promise<URLSearchParams> {
  const cookies = new Map<string, string>();
  const callback = new URL(redirectUri);
  let url = authorizationUrl;
  for (let hop = 0; hop < maxHops; hop++) {
    if (url.origin !== authorizationUrl.origin) {
      throw new Error(`authorization redirected off the authorization server to ${url.origin}`);
    }
    const response = await fetch(url, {
      redirect: 'manual',
      headers: cookies.size > 0 ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {},
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      const body = (await response.text()).slice(0, 300);
      throw new Error(`authorization stopped at ${url.pathname} with HTTP ${response.status}: ${body}`);
    }
    await response.body?.cancel();
    const next = new URL(location, url);
    if (next.origin === callback.origin && next.pathname === callback.pathname) return next.searchParams;
    url = next;
  }
  throw new Error(`authorization did not reach the redirect URI within ${maxHops} redirects`);
}
