import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateFromDocument } from '../../src/generate.js';
import { loadDocument } from '../../src/load/index.js';
import { envDefault, envEntries, isEnvName, projectDefaults } from '../../templates/runtime/config/env-table.js';
import { credentialVariables, resolveUpstreamCredentials } from '../../templates/runtime/http/upstream-credentials.js';
import { loadAuthConfig } from '../../templates/runtime/auth/auth-config.js';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { loadConfig } from '../../templates/runtime/server/config.js';
import { loadDispatchConfig } from '../../templates/runtime/server/dispatch-config.js';
import { REPO } from '../support/generated-project.js';

/**
 * The runtime's environment table (templates/runtime/config/env-table.ts) and credential naming
 * rule (http/upstream-credentials.ts) against what a generated project documents: `.env.example`
 * and the README table must name every variable with the same default, and nothing else.
 */

/** `NAME=value` or `# NAME=value   # note` lines of .env.example, by name. */
function exampleLines(text: string): Map<string, { value: string; active: boolean }[]> {
  const out = new Map<string, { value: string; active: boolean }[]>();
  for (const line of text.split('\n')) {
    const match = /^(# )?([A-Z][A-Z0-9_]*)=(.*?)(?: {3}# .*)?$/.exec(line);
    if (!match) continue;
    const [, comment, name, value] = match as unknown as [string, string | undefined, string, string];
    out.set(name, [...(out.get(name) ?? []), { value, active: comment === undefined }]);
  }
  return out;
}

/** The README configuration table's rows, by variable: meaning and default cells. */
function readmeRows(text: string): Map<string, { meaning: string; default: string }[]> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\| variable +\| meaning +\| default +\|$/.test(l));
  expect(start, 'the README has a configuration table').toBeGreaterThan(0);
  const out = new Map<string, { meaning: string; default: string }[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Cells split at `|` not escaped by a backslash (GFM).
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    expect(cells, line).toHaveLength(3);
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0]!)?.[1];
    expect(name, line).toBeDefined();
    out.set(name!, [...(out.get(name!) ?? []), { meaning: cells[1]!, default: cells[2]! }]);
  }
  return out;
}

async function generate(spec: string, config: object = {}) {
  const loaded = await loadDocument(join(REPO, spec));
  const result = await generateFromDocument(loaded, { specLabel: spec }, { config });
  const file = (path: string) => result.files.find((f) => f.path === path)?.content ?? '';
  const defaults = projectDefaults({
    server: result.model.server,
    authorization: result.model.authorization,
    toolMode: result.options.toolMode,
  });
  const credentials = result.model.schemes.flatMap((s) => (s.upstream ? credentialVariables(s.upstream) : []));
  return { result, env: file('.env.example'), readme: file('README.md'), defaults, credentials };
}

describe.each([
  // api-key, HTTP basic and bearer, oauth2 client credentials and openIdConnect upstream schemes.
  ['fixtures/security-requirements.yaml', {}],
  // Project defaults from the generator's config: transport, port, tool mode.
  ['fixtures/petstore-3.1.yaml', { transport: { default: 'stdio', port: 8080 }, toolMode: 'dynamic' }],
] as const)('the environment documented by a project generated from %s', async (spec, config) => {
  const { result, env, readme, defaults, credentials } = await generate(spec, config);
  const lines = exampleLines(env);
  const rows = readmeRows(readme);

  it('generates', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(credentials.length).toBeGreaterThan(0);
  });

  it.each(envEntries().map(([name, spec]) => [name, spec] as const))(
    '%s is in .env.example and the README, once each, with the table default',
    (name, spec) => {
      const value = spec.type === 'secret' ? undefined : envDefault(name, defaults);
      expect(lines.get(name)).toEqual([{ value: value ?? '', active: spec.active === true }]);
      expect(rows.get(name)).toHaveLength(1);
      expect(rows.get(name)![0]!.default).toBe(value === undefined ? (spec.noDefault ?? 'none') : `\`${value}\``);
      expect(rows.get(name)![0]!.meaning.length).toBeGreaterThan(10);
    },
  );

  it('lists every upstream credential variable, secrets blank', () => {
    for (const v of credentials) {
      expect(lines.get(v.name), v.name).toEqual([{ value: '', active: !v.optional }]);
      expect(rows.get(v.name), v.name).toEqual([{ meaning: expect.any(String), default: 'none' }]);
    }
  });

  it('documents no variable the runtime does not read', () => {
    const known = new Set([...envEntries().map(([name]) => name), ...credentials.map((v) => v.name)]);
    expect([...lines.keys()].filter((name) => !known.has(name))).toEqual([]);
    expect([...rows.keys()].filter((name) => !known.has(name))).toEqual([]);
    expect([...lines.keys()].filter((name) => !isEnvName(name)).sort()).toEqual(credentials.map((v) => v.name).sort());
  });

  it('leaves every secret blank', () => {
    const secrets = [
      ...envEntries().flatMap(([name, s]) => (s.type === 'secret' ? [name] : [])),
      ...credentials.filter((v) => v.secret).map((v) => v.name),
    ];
    expect(secrets.length).toBeGreaterThan(1);
    for (const name of secrets) expect(lines.get(name)?.map((l) => l.value)).toEqual(['']);
  });
});

describe('.env.example as the server reads it', () => {
  it('loads once OAUTH_ISSUER is filled in, and every default it shows is the default the server applies', async () => {
    const { result, env } = await generate('fixtures/security-requirements.yaml');
    const app = { server: result.model.server, authorization: result.model.authorization } as AppDefinition;
    const active = { ...parseEnv(env), OAUTH_ISSUER: 'https://issuer.example.com' } as Record<string, string>;
    expect(() => loadAuthConfig(parseEnv(env), new URL('http://127.0.0.1:3000/mcp'))).toThrow(/needs OAUTH_ISSUER/);
    // Uncomment every line that shows a value: the server must read the same configuration.
    const shown = parseEnv(
      env
        .split('\n')
        .flatMap((line) => /^# ([A-Z][A-Z0-9_]*=\S+) {3}# /.exec(line)?.slice(1) ?? [])
        .join('\n'),
    ) as Record<string, string>;
    expect(Object.keys(shown).length).toBeGreaterThan(10);
    const load = (vars: Record<string, string>) => {
      const config = loadConfig(app, vars);
      // Unset, these two are resolved against the generated defaults when the tool set is built.
      const effective = {
        ...config,
        toolMode: config.toolMode ?? result.options.toolMode,
        toolsList: config.toolsList ?? app.authorization.toolsList,
      };
      return { effective, dispatch: loadDispatchConfig(vars), auth: loadAuthConfig(vars, config.publicUrl) };
    };
    expect(load({ ...active, ...shown })).toEqual(load(active));
  });
});

describe('the transport default in .env.example', () => {
  it('is http unless the config says otherwise, as in the runtime', async () => {
    const { env } = await generate('fixtures/security-requirements.yaml');
    expect(env).toMatch(/^MCP_TRANSPORT=http$/m);
  });
});

describe('the upstream credentials .env.example asks for', () => {
  it('are the ones the runtime reads: filling the required ones satisfies every scheme', async () => {
    const { result } = await generate('fixtures/security-requirements.yaml');
    const schemes = Object.fromEntries(result.model.schemes.flatMap((s) => (s.upstream ? [[s.name, s.upstream]] : [])));
    for (const [name, def] of Object.entries(schemes)) {
      if (def.type === 'oauth2' || def.type === 'openIdConnect') continue; // client credentials need a token endpoint
      const env = Object.fromEntries(credentialVariables(def).flatMap((v) => (v.optional ? [] : [[v.name, 'x']])));
      const resolved = await resolveUpstreamCredentials([[{ scheme: name, scopes: [] }]], schemes, env);
      expect(resolved.satisfied, name).toBe(true);
      const none = await resolveUpstreamCredentials([[{ scheme: name, scopes: [] }]], schemes, {});
      expect(none).toMatchObject({ satisfied: false });
      if (!none.satisfied) {
        expect([...none.missing].sort(), name).toEqual(
          credentialVariables(def)
            .filter((v) => !v.optional)
            .map((v) => v.name)
            .sort(),
        );
      }
    }
  });

  it('for oauth2 and openIdConnect: the static token the table names is the one the runtime sends', async () => {
    const { result } = await generate('fixtures/security-requirements.yaml');
    const schemes = Object.fromEntries(result.model.schemes.flatMap((s) => (s.upstream ? [[s.name, s.upstream]] : [])));
    const oauth = Object.entries(schemes).filter(([, d]) => d.type === 'oauth2' || d.type === 'openIdConnect');
    expect(oauth.length).toBe(2);
    for (const [name, def] of oauth) {
      const token = credentialVariables(def).find((v) => v.name.endsWith('_ACCESS_TOKEN'))!;
      const resolved = await resolveUpstreamCredentials([[{ scheme: name, scopes: [] }]], schemes, {
        [token.name]: 'static-token',
      });
      expect(resolved).toMatchObject({ satisfied: true, headers: { Authorization: 'Bearer static-token' } });
    }
  });
});
