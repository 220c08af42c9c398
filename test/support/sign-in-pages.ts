/** What a developer does on the development authorization server's pages (npm run dev). */
export interface SignInChoices {
  readonly user: string;
  readonly roles?: readonly string[];
  /** Scopes to untick on the consent page; the rest stay ticked. */
  readonly untick?: readonly string[];
  /** Press Deny instead of Allow. */
  readonly deny?: boolean;
}

/** The pages one authorization request showed (their HTML), for assertions. */
export interface SignInRecord {
  readonly pages: string[];
}

/**
 * Plays a person in a browser for one authorization request against the development
 * authorization server: follows redirects with its cookies, fills the login form (user name,
 * role checkboxes) and the consent form (the scope checkboxes it shows, less `untick`), until a
 * redirect reaches `redirectUri`; returns that callback's query without fetching it.
 */
export function signInThroughPages(choices: SignInChoices, record: SignInRecord = { pages: [] }) {
  return async (authorizationUrl: URL, redirectUri: string): Promise<URLSearchParams> => {
    const cookies = new Map<string, string>();
    const callback = new URL(redirectUri);
    let request: { url: URL; method: 'GET' | 'POST'; body?: URLSearchParams } = {
      url: authorizationUrl,
      method: 'GET',
    };
    for (let hop = 0; hop < 20; hop++) {
      if (request.url.origin !== authorizationUrl.origin)
        throw new Error(`sign-in left the authorization server for ${request.url.origin}`);
      const response = await fetch(request.url, {
        method: request.method,
        redirect: 'manual',
        headers: {
          ...(cookies.size > 0 ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
          ...(request.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(request.body ? { body: request.body } : {}),
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        const next = new URL(location, request.url);
        if (next.origin === callback.origin && next.pathname === callback.pathname) return next.searchParams;
        request = { url: next, method: 'GET' };
        continue;
      }
      const html = await response.text();
      if (response.status !== 200)
        throw new Error(
          `sign-in stopped at ${request.url.pathname} with HTTP ${response.status}: ${html.slice(0, 300)}`,
        );
      record.pages.push(html);
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form on ${request.url.pathname}`);
      const body = new URLSearchParams();
      if (action.endsWith('/login')) {
        body.set('user', choices.user);
        for (const role of choices.roles ?? []) body.append('role', role);
      } else {
        for (const [, scope] of html.matchAll(/name="scope" value="([^"]+)"/g)) {
          if (!(choices.untick ?? []).includes(scope as string)) body.append('scope', scope as string);
        }
        body.set('decision', choices.deny ? 'deny' : 'allow');
      }
      request = {
        url: new URL(
          action.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))),
          request.url,
        ),
        method: 'POST',
        body,
      };
    }
    throw new Error('sign-in did not reach the redirect URI within 20 steps');
  };
}
