import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import type {
  BodyBinding,
  HttpBinding,
  ParameterBinding,
  ParameterLocation,
  ParameterStyle,
  SecuritySchemeDefinition,
  ToolDefinition,
} from '../../templates/runtime/mcp/types.js';

/*
 * Property-based fuzzing of the upstream request builder (issue 9, "Tests that
 * keep it closed"): generated bindings, hostile arguments, and a fetch that
 * only records. Bounded runs with a fixed seed, so `npm test` stays fast and
 * deterministic; a failure prints the seed and path to replay it.
 */

const ORIGIN = 'http://127.0.0.1:9';
const PREFIX = '/api/v1';
const RUNS = 1000;
const SEED = 20261129;

const schemes: Record<string, SecuritySchemeDefinition> = {
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key', env: 'QKEY' },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'HKEY' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid', env: 'SID' },
  bearer: { type: 'http', scheme: 'bearer', env: 'TOKEN' },
};
const env = { QKEY: 'server-query-key', HKEY: 'server-header-key', SID: 'server-cookie', TOKEN: 'server-bearer' };
/** Each credential as the upstream must see it: once, with the server's value. */
const CREDENTIAL = {
  queryKey: { in: 'query', name: 'api_key', value: env.QKEY },
  headerKey: { in: 'header', name: 'x-api-key', value: env.HKEY },
  cookieKey: { in: 'cookie', name: 'sid', value: env.SID },
  bearer: { in: 'header', name: 'authorization', value: `Bearer ${env.TOKEN}` },
} as const;

/** Every spelling of a way out, an injection or a credential name we know of. */
const HOSTILE = [
  '',
  '.',
  '..',
  '...',
  '%2e%2e',
  '%2E%2E',
  '%252e%252e',
  '..%2F',
  '..%2f..%2fadmin',
  '../admin',
  '..\\admin',
  '..;',
  '..;/x',
  '．．',
  '．',
  '‥',
  '／',
  '＼',
  '%2F',
  '%5C',
  '/',
  '\\',
  '//evil.example',
  'http://evil.example/',
  '@evil.example',
  '?x=1',
  '#frag',
  'a\r\nX-Injected: 1',
  '\r',
  '\n',
  '\0',
  '%00',
  '%0d%0a',
  '\uD800',
  '\uDFFF',
  'é',
  '𝒳',
  '\u202E',
  ' ',
  '+',
  '&',
  '=',
  ';',
  ',',
  'api_key=ATTACKER',
  '&api_key=ATTACKER',
  'sid=ATTACKER; sid=x',
  'Bearer ATTACKER',
];
const NAMES = [
  'api_key',
  'API_KEY',
  'Api_Key',
  'sid',
  'SID',
  'x-api-key',
  'X-API-KEY',
  'authorization',
  'cookie',
  'host',
  'color',
  'size',
  'admin',
  '__proto__',
  'constructor',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.array(fc.constantFrom(...HOSTILE), { minLength: 2, maxLength: 3 }).map((parts) => parts.join('')),
);
const key = fc.oneof(fc.constantFrom(...NAMES), hostileString);
const leaf = fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null));
const value = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) },
  {
    weight: 3,
    arbitrary: fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 2 })), { maxKeys: 4 }),
  },
);

const STYLES: Record<ParameterLocation, ParameterStyle[]> = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};
const PARAM_NAMES: Record<ParameterLocation, string[]> = {
  path: ['id', 'sub'],
  query: ['filter', 'q', 'api_key', 'page'],
  header: ['X-Trace', 'x-api-key', 'Host', 'Cookie', 'Authorization'],
  cookie: ['pref', 'sid', 'theme'],
};

const parameter = (location: ParameterLocation, name: string) =>
  fc
    .record({
      style: fc.constantFrom(...STYLES[location]),
      explode: fc.boolean(),
      allowReserved: fc.boolean(),
      properties: fc.option(
        fc.uniqueArray(fc.constantFrom('color', 'size', 'api_key', 'sid'), { maxLength: 3 }).map((p) => p.sort()),
        { nil: undefined },
      ),
    })
    .map(({ style, explode, allowReserved, properties }): ParameterBinding => ({
      name,
      argument: `${location}_${name}`,
      in: location,
      style,
      explode,
      required: location === 'path',
      ...(location === 'query' && allowReserved ? { allowReserved } : {}),
      ...(properties ? { properties } : {}),
    }));

const locationParams = (location: Exclude<ParameterLocation, 'path'>) =>
  fc
    .subarray(PARAM_NAMES[location], { maxLength: 2 })
    .chain((names) => fc.tuple(...names.map((n) => parameter(location, n))));

const body = fc.option(
  fc
    .constantFrom<BodyBinding['encoding']>('json', 'form', 'multipart', 'text', 'binary')
    .map((encoding): BodyBinding => ({
      argument: 'body',
      encoding,
      required: false,
      mediaType: {
        json: 'application/json',
        form: 'application/x-www-form-urlencoded',
        multipart: 'multipart/form-data',
        text: 'text/plain',
        binary: 'application/octet-stream',
      }[encoding],
    })),
  { nil: undefined },
);

const binding = fc
  .record({
    template: fc.constantFrom('/pets/{id}', '/{id}', '/a/{id}/b/{sub}', '/pets', '/x{id}'),
    path: fc.tuple(parameter('path', 'id'), parameter('path', 'sub')),
    query: locationParams('query'),
    header: locationParams('header'),
    cookie: locationParams('cookie'),
    body,
  })
  .map(({ template, path, query, header, cookie, body }): HttpBinding => {
    const used = path.filter((p) => template.includes(`{${p.name}}`));
    return {
      method: 'POST',
      path: template,
      parameters: [...used, ...query, ...header, ...cookie],
      ...(body ? { body } : {}),
    };
  });

/** One alternative of up to three schemes (only bearer sets Authorization, so they never clash). */
const security = fc.subarray(Object.keys(CREDENTIAL) as (keyof typeof CREDENTIAL)[], { maxLength: 3 });

const scenario = binding.chain((http) =>
  fc.record({
    http: fc.constant(http),
    security,
    args: fc.record(
      Object.fromEntries([
        ...http.parameters.map((p) => [p.argument, fc.option(value, { nil: undefined })]),
        ['body', fc.option(value, { nil: undefined })],
      ]),
    ),
  }),
);

interface Sent {
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Runs one call with a fetch that records the request instead of sending it. */
async function run(http: HttpBinding, names: readonly (keyof typeof CREDENTIAL)[], args: Record<string, unknown>) {
  const sent: Sent[] = [];
  const fetch = (async (input: URL, init: RequestInit) => {
    sent.push({ url: new URL(input), headers: new Headers(init.headers), body: init.body });
    return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const tool: ToolDefinition = {
    name: 'op',
    description: 'fuzz',
    inputSchema: { type: 'object' },
    annotations: {},
    http,
    security: names.length === 0 ? [] : [names.map((scheme) => ({ scheme, scopes: [] }))],
    access: { scopes: [[]] },
    tags: [],
    source: '#/fuzz',
  };
  const result = await callUpstream(tool, args, { baseUrl: `${ORIGIN}${PREFIX}/`, schemes, env, fetch });
  return { result, sent };
}

/** `.`/`..` in any spelling a decoding server or proxy could see (cf. hasDotSegment). */
function climbs(segment: string): boolean {
  let text = segment;
  for (let i = 0; i < 4; i++) {
    if (
      text
        .normalize('NFKC')
        .split(/[/\\;]/)
        .some((p) => p === '.' || p === '..')
    )
      return true;
    let next: string;
    try {
      next = decodeURIComponent(text);
    } catch {
      return /%2e/i.test(text) ? climbs(text.replace(/%2e/gi, '.')) : false;
    }
    if (next === text) return false;
    text = next;
  }
  return false;
}

function cookieNames(header: string | null): string[] {
  return header === null ? [] : header.split('; ').map((pair) => decodeURIComponent(pair.slice(0, pair.indexOf('='))));
}

/** The names a location may carry: the spec's parameters, declared properties, and the server's credentials. */
function allowedNames(http: HttpBinding, location: 'query' | 'cookie'): { names: Set<string>; free: boolean } {
  const names = new Set<string>();
  let free = false;
  for (const p of http.parameters.filter((q) => q.in === location)) {
    names.add(p.name);
    for (const k of p.properties ?? []) names.add(k);
    if (p.properties === undefined && p.explode) free = true;
  }
  return { names, free };
}

describe('request builder under fuzzing (fast-check, fixed seed)', () => {
  it(`keeps every request inside the base URL, the spec's names and the server's credentials (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ http, security: names, args }) => {
        const clean = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
        // Nothing thrown: any refusal is a tool result.
        const { result, sent } = await run(http, names, clean);
        if (sent.length === 0) {
          expect(result.isError).toBe(true);
          expect(result.content[0]?.type).toBe('text');
          return;
        }
        expect(sent).toHaveLength(1);
        const { url, headers, body: sentBody } = sent[0]!;

        // Origin and path prefix, also for a server that decodes before normalising.
        expect(url.origin).toBe(ORIGIN);
        expect(url.pathname.startsWith(`${PREFIX}/`)).toBe(true);
        for (const segment of url.pathname.slice(PREFIX.length + 1).split('/'))
          expect(climbs(segment), segment).toBe(false);

        // Headers: the spec's, the runtime's own, the credentials'; no CR/LF/NUL.
        const specHeaders = http.parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
        const own = ['accept', 'content-type', 'user-agent', 'cookie', 'authorization', 'x-api-key'];
        for (const [name, v] of headers) {
          expect([...specHeaders, ...own]).toContain(name);
          expect(v).not.toMatch(/[\r\n\0]/);
        }

        // Query and cookie names: the spec's (or a free-form object's), never a credential's but the server's own.
        const query = [...url.searchParams.keys()];
        const cookies = cookieNames(headers.get('cookie'));
        for (const [location, names2] of [
          ['query', query],
          ['cookie', cookies],
        ] as const) {
          const { names: allowed, free } = allowedNames(http, location);
          for (const n of names2) {
            const base = n.replace(/\[[\s\S]*$/, '');
            const credential = Object.values(CREDENTIAL).some((c) => c.in === location && c.name === n.toLowerCase());
            if (!credential && !free) expect(allowed.has(n) || allowed.has(base), `${location} ${n}`).toBe(true);
          }
        }

        // Form and multipart fields (merged with the query by some frameworks) never take a query or cookie credential's name.
        if (sentBody instanceof URLSearchParams || sentBody instanceof FormData) {
          const fields = [...sentBody.keys()].map((k) => k.replace(/\[[\s\S]*$/, '').toLowerCase());
          for (const scheme of names) {
            const c = CREDENTIAL[scheme];
            if (c.in !== 'header') expect(fields, `body field ${c.name}`).not.toContain(c.name);
          }
        }

        // Every credential of the chosen alternative: exactly once, with the server's value; nothing shadows it.
        for (const scheme of names) {
          const c = CREDENTIAL[scheme];
          if (c.in === 'query') {
            const same = query.filter((n) => n.toLowerCase() === c.name);
            expect(same).toEqual([c.name]);
            expect(url.searchParams.get(c.name)).toBe(c.value);
          } else if (c.in === 'cookie') {
            expect(cookies.filter((n) => n.toLowerCase() === c.name)).toEqual([c.name]);
          } else {
            expect(headers.get(c.name)).toBe(c.value);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
