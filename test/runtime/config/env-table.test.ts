import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALGORITHMS, loadAuthConfig } from '../../../templates/runtime/auth/auth-config.js';
import { ConfigError } from '../../../templates/runtime/config/config-error.js';
import {
  readChoice,
  readFlag,
  readInteger,
  readList,
  readText,
} from '../../../templates/runtime/config/env-readers.js';
import {
  ENV_VARS,
  envDefault,
  envEntries,
  projectDefaults,
  type EnvName,
} from '../../../templates/runtime/config/env-table.js';
import { startDev } from '../../../templates/runtime/dev/start-dev.js';
import { REDACTED } from '../../../templates/runtime/http/secret-redactor.js';
import { upstreamRedactor } from '../../../templates/runtime/http/upstream-redactor.js';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import { loadConfig } from '../../../templates/runtime/server/config.js';
import { DEFAULT_MAX_CONCURRENT_CALLS } from '../../../templates/runtime/server/create-server.js';
import { loadDispatchConfig } from '../../../templates/runtime/server/dispatch-config.js';
import { MAX_BATCH } from '../../../templates/runtime/server/http-gate.js';
import { DEFAULT_HTTP_LIMITS } from '../../../templates/runtime/server/http-limits.js';
import { DEFAULT_TOOLS_PAGE_SIZE } from '../../../templates/runtime/server/tool-list-pages.js';
import { REPO } from '../../support/generated-project.js';

const app = {
  server: { name: 'env', version: '1.0.0', defaultBaseUrl: 'https://api.example.com' },
  authorization: { toolsList: 'filter' },
  tools: [],
} as unknown as AppDefinition;

const BASE = { OAUTH_ISSUER: 'https://issuer.example.com' };

/** Every start-up reader of the server, as `createRuntime` runs them. */
function loadAll(env: Record<string, string>) {
  const config = loadConfig(app, { ...BASE, ...env });
  return {
    config,
    dispatch: loadDispatchConfig({ ...BASE, ...env }),
    auth: loadAuthConfig({ ...BASE, ...env }, config.publicUrl),
  };
}

/** Variables `loadAll` does not read: `npm run dev` reads DEV_AUTH_PORT (tested below). */
const DEV_ONLY: readonly EnvName[] = ['DEV_AUTH_PORT'];
/** Read only with MCP_AUTH=api-key. */
const API_KEY_ONLY: readonly EnvName[] = ['MCP_API_KEYS_FILE'];

describe('the environment table drives the parsers', () => {
  const integers = envEntries().flatMap(([name, spec]) =>
    spec.type === 'integer' && !DEV_ONLY.includes(name) ? [[name, spec.min, spec.max] as const] : [],
  );
  it.each(integers)('%s is refused outside %i..%i with the table bounds in the message', (name, min, max) => {
    for (const bad of [String(max + 1), 'twelve', '1e3', ...(min > 0 ? [String(min - 1)] : [])]) {
      expect(() => loadAll({ [name]: bad })).toThrow(
        new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${bad}").`),
      );
    }
  });

  const choices = envEntries().flatMap(([name, spec]) => (spec.type === 'enum' ? [[name, spec.values] as const] : []));
  it.each(choices)('%s is refused outside its values', (name, values) => {
    expect(() => loadAll({ [name]: 'bogus' })).toThrow(
      new ConfigError(`${name} must be one of ${values.join(', ')} (got "bogus").`),
    );
  });

  const flags = envEntries().flatMap(([name, spec]) => (spec.type === 'boolean' ? [name] : []));
  it.each(flags)('%s takes true or false only', (name) => {
    expect(() => loadAll({ [name]: 'yes' })).toThrow(new ConfigError(`${name} must be true or false (got "yes").`));
  });

  it('reads every variable of the table at start-up (an unread one would be a documented no-op)', () => {
    const read = new Set<string>();
    const spy = new Proxy<Record<string, string | undefined>>(
      { ...BASE },
      {
        get: (target, key) => {
          if (typeof key === 'string') read.add(key);
          return target[key as string];
        },
        getOwnPropertyDescriptor: (target, key) => {
          if (typeof key === 'string') read.add(key);
          return Reflect.getOwnPropertyDescriptor(target, key);
        },
      },
    );
    const config = loadConfig(app, spy);
    loadDispatchConfig(spy);
    loadAuthConfig(spy, config.publicUrl);
    const unread = envEntries()
      .map(([name]) => name)
      .filter((name) => !read.has(name) && !DEV_ONLY.includes(name) && !API_KEY_ONLY.includes(name));
    expect(unread).toEqual([]);
  });

  it('gives the table defaults when nothing is set', () => {
    const { config, dispatch, auth } = loadAll({});
    const given: Partial<Record<EnvName, unknown>> = {
      MCP_TRANSPORT: config.transport,
      HOST: config.host,
      PORT: config.port,
      MCP_AUTH: config.auth,
      MCP_MAX_REQUEST_BYTES: config.maxRequestBodyBytes,
      MCP_HEADERS_TIMEOUT_MS: config.httpLimits.headersTimeoutMs,
      MCP_REQUEST_TIMEOUT_MS: config.httpLimits.requestTimeoutMs,
      MCP_MAX_CONNECTIONS: config.httpLimits.maxConnections,
      UPSTREAM_TIMEOUT_MS: config.upstreamTimeoutMs,
      UPSTREAM_MAX_RESPONSE_BYTES: config.upstreamMaxResponseBytes,
      MCP_TOOLS_PAGE_SIZE: dispatch.pageSize,
      MCP_MAX_BATCH: dispatch.maxBatch,
      MCP_MAX_CONCURRENT_CALLS: dispatch.maxConcurrentCalls,
      OAUTH_MAX_TOKEN_BYTES: auth.maxTokenBytes,
      ...(auth.mode === 'oauth'
        ? {
            OAUTH_CLOCK_TOLERANCE_S: auth.clockToleranceS,
            OAUTH_ALGORITHMS: auth.algorithms.join(','),
            OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: auth.acceptPlainJwt,
            OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP: auth.allowInsecureHttp,
            OAUTH_INTROSPECTION_DANGEROUSLY_ACCEPT_MISSING_AUD: auth.introspectionAcceptsMissingAudience,
          }
        : {}),
    };
    for (const [name, value] of Object.entries(given)) {
      expect(String(value), name).toBe(envDefault(name as EnvName));
    }
  });

  it('matches the constants the server modules use', () => {
    expect(ENV_VARS.MCP_HEADERS_TIMEOUT_MS.default).toBe(DEFAULT_HTTP_LIMITS.headersTimeoutMs);
    expect(ENV_VARS.MCP_REQUEST_TIMEOUT_MS.default).toBe(DEFAULT_HTTP_LIMITS.requestTimeoutMs);
    expect(ENV_VARS.MCP_MAX_CONNECTIONS.default).toBe(DEFAULT_HTTP_LIMITS.maxConnections);
    expect(ENV_VARS.MCP_MAX_BATCH.default).toBe(MAX_BATCH);
    expect(ENV_VARS.MCP_MAX_BATCH.max).toBe(MAX_BATCH);
    expect(ENV_VARS.MCP_TOOLS_PAGE_SIZE.default).toBe(DEFAULT_TOOLS_PAGE_SIZE);
    expect(ENV_VARS.MCP_MAX_CONCURRENT_CALLS.default).toBe(DEFAULT_MAX_CONCURRENT_CALLS);
    expect(ENV_VARS.OAUTH_ALGORITHMS.default).toBe(DEFAULT_ALGORITHMS.join(','));
  });

  it("takes the generated project's defaults over the table's", () => {
    const project = {
      ...app,
      server: { ...app.server, defaultTransport: 'stdio', defaultPort: 8080 },
      toolMode: 'dynamic',
    } as AppDefinition;
    const config = loadConfig(project, BASE);
    expect([config.transport, config.port]).toEqual(['stdio', 8080]);
    const defaults = projectDefaults(project);
    expect(envDefault('MCP_TRANSPORT', defaults)).toBe('stdio');
    expect(envDefault('PORT', defaults)).toBe('8080');
    expect(envDefault('MCP_TOOL_MODE', defaults)).toBe('dynamic');
    expect(envDefault('UPSTREAM_BASE_URL', defaults)).toBe('https://api.example.com');
    expect(envDefault('MCP_TRANSPORT')).toBe('http');
  });

  it('npm run dev refuses a DEV_AUTH_PORT outside the table bounds before it listens', async () => {
    await expect(startDev(app, { PORT: '3999', DEV_AUTH_PORT: '70000' }, { log: () => {} })).rejects.toThrow(
      new ConfigError('DEV_AUTH_PORT must be a whole number from 0 to 65535 (got "70000").'),
    );
  });
});

describe('secrets of the table', () => {
  it('are redacted from the operator log like upstream credentials', () => {
    const env = { OAUTH_INTROSPECTION_CLIENT_SECRET: 'intro-secret-value', HOST: '127.0.0.1' };
    const redactor = upstreamRedactor({}, env);
    expect(redactor.redact('introspection failed for intro-secret-value at 127.0.0.1')).toBe(
      `introspection failed for ${REDACTED} at 127.0.0.1`,
    );
  });
});

describe('the typed readers', () => {
  it('trim, and take an empty value for unset', () => {
    expect(readText({ HOST: '  ::1 ' }, 'HOST')).toBe('::1');
    expect(readText({ HOST: '   ' }, 'HOST')).toBeUndefined();
    expect(readInteger({ PORT: ' ' }, 'PORT')).toBe(3000);
    expect(readInteger({ PORT: ' 8080 ' }, 'PORT')).toBe(8080);
    expect(readChoice({ MCP_AUTH: '' }, 'MCP_AUTH')).toBe('oauth');
    expect(readList({ MCP_ROLES: ' a, ,b ,' }, 'MCP_ROLES')).toEqual(['a', 'b']);
    expect(readList({ MCP_ROLES: ' , ' }, 'MCP_ROLES')).toBeUndefined();
    expect(readFlag({ OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT: '1' }, 'OAUTH_DANGEROUSLY_ACCEPT_PLAIN_JWT')).toBe(true);
  });

  it.each(['0x10', '+5', '-1', '1.0', '1e2', '12abc'])('refuse %s as a whole number', (raw) => {
    expect(() => readInteger({ MCP_MAX_BATCH: raw }, 'MCP_MAX_BATCH')).toThrow(
      `MCP_MAX_BATCH must be a whole number from 1 to 100 (got "${raw}").`,
    );
  });

  it('ignore inherited properties', () => {
    const env = Object.create({ HOST: '0.0.0.0' }) as Record<string, string>;
    expect(readText(env, 'HOST')).toBeUndefined();
  });
});

/** Every `.ts` file of the runtime, relative to templates/runtime. */
function runtimeSources(): [string, string][] {
  const root = join(REPO, 'templates/runtime');
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) out.push([relative(root, path), readFileSync(path, 'utf8')]);
    }
  };
  walk(root);
  return out;
}

/** Code without comments (good enough for this code base: no `//` or `/*` inside its strings matter here). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('every read of the environment goes through the table (a guard over the runtime sources)', () => {
  const sources = runtimeSources();
  /** Reads by a computed name: the readers, .env loading, and the per-spec credential variables. */
  const DYNAMIC = new Set([
    'config/env-readers.ts',
    'config/dotenv.ts',
    'http/upstream-credentials.ts',
    'http/upstream-auth.ts',
  ]);

  /** Read by name, as Node reads them (heap-policy.ts honours an operator's NODE_OPTIONS). */
  const NODE_VARIABLES = /^process\.env\.NODE_OPTIONS$/;

  it('finds the runtime', () => {
    expect(sources.length).toBeGreaterThan(40);
  });

  it.each(sources.map(([path, text]) => [path, text] as const))(
    '%s reads no variable by name directly',
    (path, text) => {
      const body = code(text);
      const direct = [
        ...body.matchAll(/\b(?:process\.)?env\s*(?:\?\.|\.)\s*[A-Z_][A-Z0-9_]*\b/g),
        ...body.matchAll(/\b(?:process\.)?env\s*(?:\?\.)?\[\s*['"`]/g),
        ...body.matchAll(/\{[^}]*\}\s*=\s*(?:process\.)?env\b/g),
      ]
        .map((m) => m[0])
        // Node's own variables are not this server's configuration: not in the table.
        .filter((read) => !NODE_VARIABLES.test(read));
      expect(direct).toEqual([]);
      // Credential variable names come from credentialVariable() (http/upstream-credentials.ts) alone.
      expect([...body.matchAll(/\.env\}_[A-Z]/g)].map((m) => m[0])).toEqual([]);
      if (!DYNAMIC.has(path)) expect([...body.matchAll(/\benv\s*(?:\?\.)?\[/g)].map((m) => m[0])).toEqual([]);
    },
  );
});
