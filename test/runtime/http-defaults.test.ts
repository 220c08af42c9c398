import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { ConfigError, loadConfig } from '../../templates/runtime/server/config.js';
import { startHttp } from '../../templates/runtime/server/main.js';
import { originAllowed, parseAllowedOrigins } from '../../templates/runtime/server/origin-check.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';

// Unsafe defaults (issue 9, item 8): the public URL off loopback, plain http, and browser origins.

const BASE = { MCP_TRANSPORT: 'http', UPSTREAM_BASE_URL: 'http://127.0.0.1:9/api', PORT: '3000' };
const OAUTH = { ...BASE, MCP_AUTH: 'oauth', OAUTH_ISSUER: 'https://issuer.example.test' };

let app: AppDefinition;
beforeAll(async () => {
  app = await appFromSpec(join(REPO, 'fixtures/petstore-3.1.yaml'));
});

describe('a server off loopback needs MCP_PUBLIC_URL', () => {
  it.each([
    ['the Dockerfile default HOST=0.0.0.0 (oauth)', { ...OAUTH, HOST: '0.0.0.0' }],
    ['HOST=:: (oauth)', { ...OAUTH, HOST: '::' }],
    ['a LAN address (api-key)', { ...BASE, MCP_AUTH: 'api-key', HOST: '10.1.2.3' }],
  ])('refuses %s, naming what to set', (_name, env) => {
    expect(() => loadConfig(app, env)).toThrow(ConfigError);
    expect(() => loadConfig(app, env)).toThrow(
      /HOST is ".+", not loopback, and MCP_PUBLIC_URL is not set\. Set MCP_PUBLIC_URL to the URL clients use/,
    );
  });

  it('starts with MCP_PUBLIC_URL, which becomes the resource (token audience)', () => {
    const config = loadConfig(app, { ...OAUTH, HOST: '0.0.0.0', MCP_PUBLIC_URL: 'https://mcp.example.com/mcp' });
    expect(config.publicUrl.href).toBe('https://mcp.example.com/mcp');
    expect(config.warnings).toEqual([]);
  });

  it.each([
    ['on loopback', { ...OAUTH, HOST: '127.0.0.1' }],
    ['over stdio, where HOST means nothing', { ...OAUTH, MCP_TRANSPORT: 'stdio', HOST: '0.0.0.0' }],
  ])('needs nothing more %s', (_name, env) => {
    expect(() => loadConfig(app, env)).not.toThrow();
  });
});

describe('a plain-http public URL off loopback is warned about at start-up (RFC 6750 §5.3)', () => {
  it.each([
    ['http on a public host', 'http://mcp.example.com/mcp', true],
    ['https', 'https://mcp.example.com/mcp', false],
    ['http on localhost', 'http://localhost:3000/mcp', false],
    ['http on [::1]', 'http://[::1]:3000/mcp', false],
  ])('%s: warned %s', (_name, publicUrl, warned) => {
    const config = loadConfig(app, { ...OAUTH, HOST: '127.0.0.1', MCP_PUBLIC_URL: publicUrl });
    expect(config.warnings.some((w) => w.includes('plain http') && w.includes('https'))).toBe(warned);
  });

  it('the running server logs the warning', async () => {
    const logs: string[] = [];
    const server = await startHttp(
      app,
      { ...BASE, MCP_AUTH: 'none', HOST: '127.0.0.1', PORT: '0', MCP_PUBLIC_URL: 'http://mcp.example.com/mcp' },
      { log: (l) => logs.push(l) },
    );
    await server.close();
    expect(logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringMatching(
          /^MCP_PUBLIC_URL http:\/\/mcp\.example\.com\/mcp is plain http on a non-loopback host/,
        ),
      }),
    );
  });
});

describe('allowed browser origins are exact', () => {
  const allowed = (env: Record<string, string>, origin: string) =>
    originAllowed(origin, loadConfig(app, { ...OAUTH, ...env }).allowedOrigins);
  const loopback = { HOST: '127.0.0.1', MCP_PUBLIC_URL: 'https://mcp.example.com/mcp' };
  const exposed = { HOST: '0.0.0.0', MCP_PUBLIC_URL: 'https://mcp.example.com/mcp' };

  it.each([
    // A loopback server: its public origin, and local tools on any port (the MCP Inspector, a dev server).
    [loopback, 'https://mcp.example.com', true],
    [loopback, 'http://localhost:6274', true],
    [loopback, 'http://127.0.0.1:5173', true],
    [loopback, 'http://[::1]:8080', true],
    [loopback, 'https://localhost:8443', true],
    // The same host names with another scheme or port, or dressed up, are not the same origin.
    [loopback, 'http://mcp.example.com', false],
    [loopback, 'https://mcp.example.com:8443', false],
    [loopback, 'chrome-extension://localhost', false],
    [loopback, 'ftp://127.0.0.1', false],
    [loopback, 'http://localhost.evil.example', false],
    [loopback, 'http://localhost:6274/path', false],
    [loopback, 'http://user@localhost:6274', false],
    [loopback, 'null', false],
    // Reachable from the network: pages on each visitor's own machine are not trusted.
    [exposed, 'https://mcp.example.com', true],
    [exposed, 'http://localhost:6274', false],
    [exposed, 'http://127.0.0.1:3000', false],
  ])('%o: %s allowed %s', (env, origin, expected) => {
    expect(allowed(env, origin)).toBe(expected);
  });

  it('MCP_ALLOWED_ORIGINS takes full origins and replaces the default', () => {
    const env = {
      ...exposed,
      MCP_ALLOWED_ORIGINS:
        'https://app.example.com, https://Admin.Example.com:443, http://localhost:*, chrome-extension://abcdef',
    };
    expect(loadConfig(app, { ...OAUTH, ...env }).allowedOrigins.entries).toEqual([
      'https://app.example.com',
      'https://admin.example.com',
      'http://localhost:*',
      'chrome-extension://abcdef',
    ]);
    expect(allowed(env, 'https://app.example.com')).toBe(true);
    expect(allowed(env, 'https://admin.example.com')).toBe(true);
    expect(allowed(env, 'http://localhost:6274')).toBe(true);
    expect(allowed(env, 'chrome-extension://abcdef')).toBe(true);
    expect(allowed(env, 'https://mcp.example.com')).toBe(false);
    expect(allowed(env, 'http://app.example.com')).toBe(false);
    expect(allowed(env, 'https://localhost:6274')).toBe(false);
  });

  it.each([
    [
      'a bare host name (the old form)',
      'app.example.com',
      /MCP_ALLOWED_ORIGINS takes full origins such as https:\/\/app\.example\.com.*got "app\.example\.com"/,
    ],
    ['a wildcard', '*', /takes full origins/],
    ['a URL with a path', 'https://app.example.com/ui', /takes full origins/],
    ['a port and a port wildcard', 'http://localhost:3000:*', /names both a port and a port wildcard/],
  ])('MCP_ALLOWED_ORIGINS refuses %s', (_name, value, message) => {
    expect(() => loadConfig(app, { ...OAUTH, ...exposed, MCP_ALLOWED_ORIGINS: value })).toThrow(message);
  });

  it('parses the same entries as the environment would', () => {
    expect(parseAllowedOrigins(['https://a.example', 'http://localhost:*']).entries).toEqual([
      'https://a.example',
      'http://localhost:*',
    ]);
  });
});

describe('HTTP limits', () => {
  it('default to 20 s for headers, 60 s for a request, 1,024 connections', () => {
    expect(loadConfig(app, { ...OAUTH, HOST: '127.0.0.1' }).httpLimits).toEqual({
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 60_000,
      maxConnections: 1024,
    });
  });

  it('are configurable', () => {
    const env = {
      ...OAUTH,
      HOST: '127.0.0.1',
      MCP_HEADERS_TIMEOUT_MS: '5000',
      MCP_REQUEST_TIMEOUT_MS: '120000',
      MCP_MAX_CONNECTIONS: '50',
    };
    expect(loadConfig(app, env).httpLimits).toEqual({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 120_000,
      maxConnections: 50,
    });
  });

  it.each([
    [
      'a request timeout shorter than the header timeout',
      { MCP_HEADERS_TIMEOUT_MS: '5000', MCP_REQUEST_TIMEOUT_MS: '1000' },
      /MCP_REQUEST_TIMEOUT_MS \(1000\) must be at least MCP_HEADERS_TIMEOUT_MS \(5000\)/,
    ],
    ['no connections at all', { MCP_MAX_CONNECTIONS: '0' }, /MCP_MAX_CONNECTIONS must be a whole number from 1/],
    [
      'a timeout that is not a number',
      { MCP_HEADERS_TIMEOUT_MS: '10s' },
      /MCP_HEADERS_TIMEOUT_MS must be a whole number/,
    ],
  ])('refuse %s', (_name, env, message) => {
    expect(() => loadConfig(app, { ...OAUTH, HOST: '127.0.0.1', ...env })).toThrow(message);
  });
});
