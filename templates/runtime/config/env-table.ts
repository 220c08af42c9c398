/**
 * Every environment variable the generated server reads, in one typed table. It drives the
 * parsing (`env-readers.ts`: bounds, choices, defaults and error messages come from here), the
 * generated `.env.example` and the README's configuration table, so the three cannot disagree.
 * Upstream credential variables are per spec, named by `http/upstream-credentials.ts`.
 *
 * Descriptions are one line of Markdown (code spans, no `|` escaping: the README escapes).
 * This module imports nothing, so the generator can load it without the server.
 */

/** Where a variable matters: the HTTP or stdio transport, or `npm run dev`. */
export type EnvScope = 'http' | 'stdio' | 'dev';

/** Sections of `.env.example`, in order. */
export type EnvGroup = 'transport' | 'http' | 'auth' | 'oauth' | 'api-key' | 'tools' | 'upstream' | 'dev';

/** The heading of each `.env.example` section, in the order they appear. */
export const ENV_GROUPS: Readonly<Record<EnvGroup, string>> = {
  transport: 'Transport.',
  http: 'HTTP: where to listen, the public URL of the MCP endpoint and the bounds of a connection.',
  auth: 'Authorization over HTTP.',
  oauth: 'With MCP_AUTH=oauth, the authorization server. Its JWKS is discovered from its metadata unless set below.',
  'api-key': 'With MCP_AUTH=api-key, a JSON file of SHA-256 key hashes (npm run hash-key).',
  tools: 'Tools: what tools/list shows, paging, and the bounds of one request.',
  upstream: 'The upstream API. Fixed by configuration: tool arguments can never change it.',
  dev: 'npm run dev only.',
};

/** Defaults the generated project sets (from the OpenAPI document and the generator's config), not the runtime. */
export interface ProjectDefaults {
  readonly transport?: 'http' | 'stdio';
  readonly port?: number;
  readonly baseUrl?: string;
  readonly toolMode?: 'static' | 'dynamic';
  readonly toolsList?: 'filter' | 'all';
  readonly rolesClaim?: string;
}

interface EnvVarCommon {
  /** One line: what it does. Shown in `.env.example` and the README. */
  readonly description: string;
  /** More for the README only (quirks, when to use it). */
  readonly details?: string;
  readonly applies: readonly EnvScope[];
  /** Only read with this `MCP_AUTH`. */
  readonly auth?: 'oauth' | 'api-key';
  /** The value the project's generated definition supplies; the table's `default` applies when it has none. */
  readonly projectDefault?: keyof ProjectDefaults;
  /** README default cell when there is no value to show: `required`, `none`, or how it is derived. */
  readonly noDefault?: string;
  /** `.env.example` writes the line active (`NAME=value`) rather than commented out. */
  readonly active?: boolean;
  readonly group: EnvGroup;
}

export type EnvVarSpec = EnvVarCommon &
  (
    | { readonly type: 'string' | 'url' | 'list'; readonly default?: string }
    /** Never printed, echoed or logged; `.env.example` leaves it blank. */
    | { readonly type: 'secret'; readonly default?: undefined }
    | { readonly type: 'integer'; readonly min: number; readonly max: number; readonly default?: number }
    | { readonly type: 'boolean'; readonly default: false }
    | { readonly type: 'enum'; readonly values: readonly string[]; readonly default?: string }
  );

/** RFC 8725 §3.1, §2.1: asymmetric JWS algorithms only, never `none`, never HMAC. */
export const OAUTH_DEFAULT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export const ENV_VARS = {
  MCP_TRANSPORT: {
    type: 'enum',
    values: ['http', 'stdio'],
    default: 'http',
    projectDefault: 'transport',
    description: '`http` (Streamable HTTP) or `stdio` (a local client starts the server)',
    applies: ['http', 'stdio'],
    active: true,
    group: 'transport',
  },
  HOST: {
    type: 'string',
    default: '127.0.0.1',
    description: 'where HTTP listens (loopback by default)',
    applies: ['http', 'dev'],
    active: true,
    group: 'http',
  },
  PORT: {
    type: 'integer',
    min: 0,
    max: 65535,
    default: 3000,
    projectDefault: 'port',
    description: 'the port HTTP listens on',
    details: '`npm run dev`: `0` picks free ports.',
    applies: ['http', 'dev'],
    active: true,
    group: 'http',
  },
  MCP_PUBLIC_URL: {
    type: 'url',
    noDefault: '`http://HOST:PORT/mcp`',
    description:
      'the URL clients use for the MCP endpoint, e.g. `https://mcp.example.com/mcp` (the token audience); required when `HOST` is not loopback',
    applies: ['http'],
    group: 'http',
  },
  MCP_ALLOWED_ORIGINS: {
    type: 'list',
    noDefault: "`MCP_PUBLIC_URL`'s origin; on a loopback `HOST` also loopback origins",
    description:
      'browser origins allowed to call it, in full: `https://app.example.com`, `http://localhost:*` (any port)',
    applies: ['http'],
    group: 'http',
  },
  MCP_ALLOWED_HOSTS: {
    type: 'list',
    noDefault: "loopback, `MCP_PUBLIC_URL`'s",
    description: 'host names accepted in the `Host` header (DNS rebinding protection)',
    applies: ['http'],
    group: 'http',
  },
  MCP_MAX_REQUEST_BYTES: {
    type: 'integer',
    min: 1024,
    max: 64 * 1024 * 1024,
    default: 1024 * 1024,
    description: 'largest HTTP request body; over stdio, largest message (at least 10 MiB there)',
    applies: ['http', 'stdio'],
    group: 'http',
  },
  MCP_HEADERS_TIMEOUT_MS: {
    type: 'integer',
    min: 100,
    max: 600_000,
    default: 20_000,
    description: "time a client has to send a request's headers (then `408` and disconnected)",
    applies: ['http'],
    group: 'http',
  },
  MCP_REQUEST_TIMEOUT_MS: {
    type: 'integer',
    min: 100,
    max: 3_600_000,
    default: 60_000,
    description: 'time a client has to send a whole request, body included (responses and streams are not limited)',
    details: 'At least `MCP_HEADERS_TIMEOUT_MS`.',
    applies: ['http'],
    group: 'http',
  },
  MCP_MAX_CONNECTIONS: {
    type: 'integer',
    min: 1,
    max: 1_000_000,
    default: 1024,
    description: 'open connections at once; more are dropped, with a warning at most once a minute',
    applies: ['http'],
    group: 'http',
  },
  MCP_AUTH: {
    type: 'enum',
    values: ['oauth', 'api-key', 'none'],
    default: 'oauth',
    description:
      'HTTP authorization: `oauth` (an OAuth 2.1 resource server), `api-key`, or `none` (loopback only, local development)',
    applies: ['http'],
    active: true,
    group: 'auth',
  },
  OAUTH_MAX_TOKEN_BYTES: {
    type: 'integer',
    min: 1024,
    max: 65536,
    default: 8192,
    description: 'longest bearer token or API key accepted, in bytes; a longer one is refused with `401`',
    applies: ['http'],
    group: 'auth',
  },
  OAUTH_ISSUER: {
    type: 'url',
    noDefault: 'required',
    description:
      "the authorization server's issuer, exactly as its metadata states it; its JWKS is found from its RFC 8414 / OpenID metadata",
    applies: ['http'],
    auth: 'oauth',
    active: true,
    group: 'oauth',
  },
  OAUTH_AUDIENCE: {
    type: 'list',
    noDefault: '`MCP_PUBLIC_URL`',
    description: 'the audiences tokens may carry, comma-separated (RFC 8707: tokens must be issued for this server)',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_JWKS_URI: {
    type: 'url',
    noDefault: 'discovered',
    description: 'a JWKS URL instead of discovery',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_PUBLIC_KEY: {
    type: 'string',
    noDefault: 'discovered',
    description: 'a static public key (PEM or JWK / JWKS JSON) instead of a JWKS',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_INTROSPECTION_URL: {
    type: 'url',
    noDefault: "the issuer metadata's",
    description: 'RFC 7662 introspection endpoint, for opaque tokens (with the client below)',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_INTROSPECTION_CLIENT_ID: {
    type: 'string',
    noDefault: 'off',
    description: 'client id for RFC 7662 introspection; turns introspection on',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_INTROSPECTION_CLIENT_SECRET: {
    type: 'secret',
    noDefault: 'off',
    description: 'its client secret',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD: {
    type: 'boolean',
    default: false,
    description:
      '`true` accepts introspection answers without `aud`; only for an introspection client dedicated to this server',
    details:
      'Normally refused: nothing binds such a token to this server (RFC 8707). Only safe when your authorization server answers `active` to this client solely for tokens issued for this server.',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_ALGORITHMS: {
    type: 'list',
    default: OAUTH_DEFAULT_ALGORITHMS.join(','),
    description: 'accepted signature algorithms, comma-separated (asymmetric only)',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_CLOCK_TOLERANCE_S: {
    type: 'integer',
    min: 0,
    max: 300,
    default: 30,
    description: 'allowed clock skew for `exp`/`nbf`, in seconds',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: {
    type: 'boolean',
    default: false,
    description: '`true` accepts JWT access tokens whose `typ` is `JWT` or absent, not `at+jwt` (RFC 9068 §4)',
    details:
      "This lets other JWTs of the issuer pass for access tokens. Needed for Microsoft Entra ID (`typ` always `JWT`), Okta and Amazon Cognito (no `typ`), Auth0's default token profile (better: switch the API to the RFC 9068 profile) and Keycloak clients without the `at+jwt` header type setting.",
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_SCOPES_CLAIM: {
    type: 'string',
    noDefault: '`scope`, else `scp`',
    description:
      'read the granted scopes from this claim (array or space-separated string) instead of `scope`/`scp`, e.g. `permissions` for Auth0 RBAC',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_GRANTED_SCOPE_PREFIX: {
    type: 'string',
    noDefault: 'none',
    description: 'put before each granted scope that lacks it, e.g. `api://<application id>/` for Microsoft Entra ID',
    details: "Entra's `scp` holds `pets.read` for a scope requested as `api://<application id>/pets.read`.",
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_DANGEROUSLY_ACCEPT_CLIENT_ID_AS_AUDIENCE: {
    type: 'list',
    noDefault: 'none',
    description:
      'comma-separated client ids whose access tokens without any `aud` are accepted (Amazon Cognito); use clients dedicated to this server',
    details:
      'Such a token must also say it is an access token (`token_use: access` or `typ: at+jwt`). Weaker than an audience: a token the same client got for another resource server of the issuer passes too.',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_AUTHORIZATION_SERVERS: {
    type: 'list',
    noDefault: '`OAUTH_ISSUER`',
    description: '`authorization_servers` in the protected resource metadata, comma-separated',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP: {
    type: 'boolean',
    default: false,
    description:
      '`true` allows plain `http` issuer, JWKS and introspection URLs off loopback; tokens and keys then travel unprotected',
    applies: ['http'],
    auth: 'oauth',
    group: 'oauth',
  },
  OAUTH_ROLES_CLAIM: {
    type: 'string',
    projectDefault: 'rolesClaim',
    noDefault: 'none: role rules deny',
    description:
      'where roles are in the token: `keycloak`, `keycloak-client:<id>`, `entra`, `okta`, `cognito`, `auth0:<namespace>`, or a claim path such as `realm_access.roles`',
    applies: ['http', 'dev'],
    group: 'oauth',
  },
  MCP_API_KEYS_FILE: {
    type: 'string',
    noDefault: 'required',
    description:
      'JSON file of SHA-256 key hashes with subject, roles and scopes (`printf \'%s\' "$KEY" | npm run --silent hash-key -- --subject name --roles a,b`; without piped input a strong key is generated)',
    applies: ['http'],
    auth: 'api-key',
    group: 'api-key',
  },
  MCP_TOOLS_LIST: {
    type: 'enum',
    values: ['filter', 'all'],
    default: 'filter',
    projectDefault: 'toolsList',
    description: '`filter`: `tools/list` shows each caller only what it may call; `all`: every tool',
    applies: ['http', 'stdio'],
    group: 'tools',
  },
  MCP_TOOL_MODE: {
    type: 'enum',
    values: ['static', 'dynamic'],
    default: 'static',
    projectDefault: 'toolMode',
    description:
      '`static`: `tools/list` shows every tool; `dynamic`: three meta-tools (`search_tools`, `describe_tool`, `call_tool`) instead, for large APIs',
    applies: ['http', 'stdio'],
    group: 'tools',
  },
  MCP_ROLES: {
    type: 'list',
    noDefault: 'none',
    description: "the local user's roles, comma-separated, so role rules apply there too",
    applies: ['stdio'],
    group: 'tools',
  },
  MCP_TOOLS_PAGE_SIZE: {
    type: 'integer',
    min: 1,
    max: 1000,
    default: 100,
    description: 'tools per `tools/list` page (a page also stops at 256 KiB)',
    details: 'Cursor pagination keeps each page well under the 1 MiB some clients accept per message.',
    applies: ['http', 'stdio'],
    group: 'tools',
  },
  MCP_MAX_BATCH: {
    type: 'integer',
    min: 1,
    max: 100,
    default: 100,
    description: 'messages one 2025-03-26 JSON-RPC batch may hold; a larger batch is refused whole (at most 100)',
    applies: ['http'],
    group: 'tools',
  },
  MCP_MAX_CONCURRENT_CALLS: {
    type: 'integer',
    min: 1,
    max: 100,
    default: 10,
    description: 'upstream calls one MCP request (a batch) runs at once',
    applies: ['http', 'stdio'],
    group: 'tools',
  },
  UPSTREAM_BASE_URL: {
    type: 'url',
    projectDefault: 'baseUrl',
    noDefault: 'none: required',
    description: "the API's base URL; fixed by configuration, tool arguments can never change it",
    applies: ['http', 'stdio'],
    active: true,
    group: 'upstream',
  },
  UPSTREAM_TIMEOUT_MS: {
    type: 'integer',
    min: 1,
    max: 600_000,
    default: 30_000,
    description: 'timeout of one upstream call',
    applies: ['http', 'stdio'],
    active: true,
    group: 'upstream',
  },
  UPSTREAM_MAX_RESPONSE_BYTES: {
    type: 'integer',
    min: 1024,
    max: 512 * 1024 * 1024,
    default: 5 * 1024 * 1024,
    description: 'larger upstream responses are cut off',
    applies: ['http', 'stdio'],
    active: true,
    group: 'upstream',
  },
  DEV_AUTH_PORT: {
    type: 'integer',
    min: 0,
    max: 65535,
    noDefault: '`PORT` + 1',
    description: "the development authorization server's port (`0`: a free one)",
    applies: ['dev'],
    group: 'dev',
  },
} as const satisfies Record<string, EnvVarSpec>;

export type EnvName = keyof typeof ENV_VARS;

type NamesOf<T> = { [K in EnvName]: (typeof ENV_VARS)[K] extends { readonly type: T } ? K : never }[EnvName];
export type IntegerEnvName = NamesOf<'integer'>;
export type BooleanEnvName = NamesOf<'boolean'>;
export type EnumEnvName = NamesOf<'enum'>;
export type ListEnvName = NamesOf<'list'>;
/** The values an enum variable takes. */
export type EnvChoice<N extends EnumEnvName> = (typeof ENV_VARS)[N]['values'][number];

/** The entry of `name`, typed as the general spec (for code that walks the table). */
export function envVar(name: EnvName): EnvVarSpec {
  return ENV_VARS[name];
}

/** Every entry, in table order. */
export function envEntries(): readonly (readonly [EnvName, EnvVarSpec])[] {
  return Object.keys(ENV_VARS).map((name) => [name as EnvName, envVar(name as EnvName)] as const);
}

/** Whether `name` is in the table (for values from outside, e.g. a file's text). */
export function isEnvName(name: string): name is EnvName {
  return Object.hasOwn(ENV_VARS, name);
}

/**
 * The default of `name` as it is written in the environment: the project's value when the entry
 * takes one and the project sets it, else the table's; `undefined` when there is none.
 */
export function envDefault(name: EnvName, project: ProjectDefaults = {}): string | undefined {
  const spec = envVar(name);
  const fromProject = spec.projectDefault === undefined ? undefined : project[spec.projectDefault];
  const value = fromProject ?? spec.default;
  return value === undefined ? undefined : String(value);
}

/** The parts of a generated server's definition (`AppDefinition`) that set defaults. */
export interface ProjectDefinition {
  readonly server: {
    readonly defaultTransport?: 'http' | 'stdio';
    readonly defaultPort?: number;
    readonly defaultBaseUrl?: string;
  };
  readonly authorization: { readonly toolsList?: 'filter' | 'all'; readonly rolesClaim?: string };
  readonly toolMode?: 'static' | 'dynamic';
}

/** The defaults a generated project sets, as `envDefault` takes them. */
export function projectDefaults(app: ProjectDefinition): ProjectDefaults {
  const { server, authorization } = app;
  return {
    ...(server.defaultTransport ? { transport: server.defaultTransport } : {}),
    ...(server.defaultPort !== undefined ? { port: server.defaultPort } : {}),
    ...(server.defaultBaseUrl ? { baseUrl: server.defaultBaseUrl } : {}),
    ...(app.toolMode ? { toolMode: app.toolMode } : {}),
    ...(authorization.toolsList ? { toolsList: authorization.toolsList } : {}),
    ...(authorization.rolesClaim ? { rolesClaim: authorization.rolesClaim } : {}),
  };
}
