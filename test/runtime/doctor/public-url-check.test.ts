import { describe, expect, it } from 'vitest';
import { checkPublicUrl } from '../../../templates/runtime/doctor/public-url-check.js';
import { petsApp } from './support/doctor-fixtures.js';

const app = petsApp('https://api.example.com');

describe('checkPublicUrl', () => {
  it.each([
    [
      'unset off loopback',
      { HOST: '0.0.0.0' },
      'fail',
      /^MCP_PUBLIC_URL is not set while HOST=0\.0\.0\.0 listens off loopback: set MCP_PUBLIC_URL to the https URL/,
    ],
    ['not a URL', { MCP_PUBLIC_URL: 'mcp.example.com/mcp' }, 'fail', /is not an absolute URL/],
    [
      'plain http off loopback',
      { MCP_PUBLIC_URL: 'http://mcp.example.com/mcp' },
      'fail',
      /uses plain http off loopback: use https/,
    ],
    [
      'the listening address 0.0.0.0',
      { MCP_PUBLIC_URL: 'http://0.0.0.0:3000/mcp' },
      'fail',
      /names 0\.0\.0\.0, a listening address, not one clients can reach/,
    ],
    ['the listening address ::', { MCP_PUBLIC_URL: 'https://[::]/mcp' }, 'fail', /a listening address/],
    [
      'a query',
      { MCP_PUBLIC_URL: 'https://mcp.example.com/mcp?tenant=a' },
      'fail',
      /has a query: remove it.*RFC 8707 §2/,
    ],
    [
      'a fragment',
      { MCP_PUBLIC_URL: 'https://mcp.example.com/mcp#x' },
      'fail',
      /has a fragment: remove it \(RFC 8707 §2\)/,
    ],
    [
      'the health path',
      { MCP_PUBLIC_URL: 'https://mcp.example.com/healthz' },
      'fail',
      /uses the path \/healthz, which the server keeps for itself/,
    ],
    ['a well-known path', { MCP_PUBLIC_URL: 'https://mcp.example.com/.well-known/mcp' }, 'fail', /keeps for itself/],
    ['credentials in the URL', { MCP_PUBLIC_URL: 'https://a:b@mcp.example.com/mcp' }, 'fail', /carries credentials/],
    [
      'a loopback URL while listening off loopback',
      { HOST: '0.0.0.0', MCP_PUBLIC_URL: 'http://localhost:3000/mcp' },
      'warn',
      /is a loopback URL while HOST=0\.0\.0\.0 listens off loopback/,
    ],
    ['the root path', { MCP_PUBLIC_URL: 'https://mcp.example.com/' }, 'warn', /puts the MCP endpoint at the root path/],
    [
      'unset with a PORT that makes no URL',
      { PORT: 'eighty' },
      'fail',
      /^MCP_PUBLIC_URL is not set and the default http:\/\/127\.0\.0\.1:eighty\/mcp is not a URL: fix HOST and PORT$/,
    ],
    [
      'unset on loopback',
      {},
      'ok',
      /^MCP_PUBLIC_URL not set: http:\/\/127\.0\.0\.1:3000\/mcp \(loopback, local use only\)/,
    ],
    [
      'https with the endpoint path',
      { MCP_PUBLIC_URL: 'https://mcp.example.com/mcp' },
      'ok',
      /^MCP_PUBLIC_URL https:\/\/mcp\.example\.com\/mcp: the MCP endpoint is served at \/mcp$/,
    ],
    ['http on loopback', { MCP_PUBLIC_URL: 'http://127.0.0.1:8080/mcp' }, 'ok', /served at \/mcp/],
  ] as const)('%s: %s', (_, env, status, message) => {
    const { check } = checkPublicUrl(app, env);
    expect(check.id).toBe('public-url');
    expect(check.status).toBe(status);
    expect(check.message).toMatch(message);
  });

  it('has nothing to check over stdio', () => {
    expect(checkPublicUrl(app, { MCP_TRANSPORT: 'stdio', HOST: '0.0.0.0' })).toEqual({
      check: { id: 'public-url', status: 'ok', message: 'MCP_TRANSPORT=stdio: no HTTP endpoint, nothing to check' },
    });
  });

  it('returns the URL the audience defaults to', () => {
    expect(checkPublicUrl(app, { PORT: '8080' }).publicUrl?.href).toBe('http://127.0.0.1:8080/mcp');
  });
});
