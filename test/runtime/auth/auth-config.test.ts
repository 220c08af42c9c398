import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALGORITHMS, loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { ConfigError } from '../../../templates/runtime/server/config.js';

const PUBLIC_URL = new URL('https://mcp.example.com/mcp');
const ISSUER = 'https://auth.example.com/realms/main';
const oauth = (env: Record<string, string>, publicUrl = PUBLIC_URL) =>
  loadAuthConfig({ OAUTH_ISSUER: ISSUER, ...env }, publicUrl) as OAuthSettings;

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('loadAuthConfig: oauth defaults', () => {
  it('fills every default from the issuer and the public URL', () => {
    expect(oauth({})).toEqual({
      mode: 'oauth',
      issuer: ISSUER,
      audiences: ['https://mcp.example.com/mcp'],
      algorithms: [...DEFAULT_ALGORITHMS],
      clockToleranceS: 30,
      authorizationServers: [ISSUER],
      maxTokenBytes: 8192,
      allowInsecureHttp: false,
      acceptPlainJwt: false,
      introspectionAcceptsMissingAudience: false,
    });
  });

  it('is the default mode', () => {
    expect(loadAuthConfig({ OAUTH_ISSUER: ISSUER }, PUBLIC_URL).mode).toBe('oauth');
  });

  it('accepts both forms of a root public URL as audience', () => {
    expect(oauth({}, new URL('https://mcp.example.com')).audiences).toEqual([
      'https://mcp.example.com/',
      'https://mcp.example.com',
    ]);
  });

  it('keeps the issuer exactly as written', () => {
    expect(oauth({ OAUTH_ISSUER: 'https://auth.example.com/' }).issuer).toBe('https://auth.example.com/');
  });

  it('reads the optional settings', () => {
    const settings = oauth({
      OAUTH_AUDIENCE: 'api://pets, https://pets.example.com',
      OAUTH_JWKS_URI: 'https://auth.example.com/keys',
      OAUTH_INTROSPECTION_CLIENT_ID: 'rs',
      OAUTH_INTROSPECTION_CLIENT_SECRET: 's3cret',
      OAUTH_ALGORITHMS: 'ES256,EdDSA',
      OAUTH_CLOCK_TOLERANCE_S: '0',
      OAUTH_AUTHORIZATION_SERVERS: 'https://a.example.com,https://b.example.com',
      OAUTH_MAX_TOKEN_BYTES: '4096',
    });
    expect(settings).toMatchObject({
      audiences: ['api://pets', 'https://pets.example.com'],
      jwksUri: new URL('https://auth.example.com/keys'),
      introspection: { clientId: 'rs', clientSecret: 's3cret' },
      algorithms: ['ES256', 'EdDSA'],
      clockToleranceS: 0,
      authorizationServers: ['https://a.example.com', 'https://b.example.com'],
      maxTokenBytes: 4096,
    });
    expect(settings.introspection?.url).toBeUndefined();
  });

  it('allows plain http on loopback for development', () => {
    expect(oauth({ OAUTH_ISSUER: 'http://127.0.0.1:9000' }).issuer).toBe('http://127.0.0.1:9000');
    expect(oauth({ OAUTH_ISSUER: 'http://localhost:9000/as' }).issuer).toBe('http://localhost:9000/as');
  });

  it('allows plain http elsewhere only with the alarming flag', () => {
    expect(
      oauth({ OAUTH_ISSUER: 'http://keycloak:8080/realms/a', OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP: 'true' })
        .allowInsecureHttp,
    ).toBe(true);
  });
});

describe('loadAuthConfig: static keys', () => {
  it.each([
    ['a PEM SPKI key', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string],
    [
      'a PEM with escaped newlines',
      (rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string).replace(/\n/g, '\\n'),
    ],
    ['a JWK', JSON.stringify(rsa.publicKey.export({ format: 'jwk' }))],
  ])('reads %s', (_, key) => {
    const settings = oauth({ OAUTH_PUBLIC_KEY: key });
    expect(settings.publicKey?.kind).toBe('key');
  });

  it('reads a JWKS', () => {
    const jwks = { keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'a' }] };
    expect(oauth({ OAUTH_PUBLIC_KEY: JSON.stringify(jwks) }).publicKey).toEqual({ kind: 'jwks', jwks });
  });
});

describe('loadAuthConfig: refusals say what to set', () => {
  const help =
    'OAUTH_PUBLIC_KEY must be a PEM public key ("-----BEGIN PUBLIC KEY-----", SPKI) or a JWK / JWKS JSON of RSA, EC or OKP public keys';
  it.each([
    [
      'no issuer',
      { OAUTH_ISSUER: '' },
      'MCP_AUTH=oauth needs OAUTH_ISSUER: the issuer identifier of your authorization server, exactly as its metadata states it (e.g. https://auth.example.com/realms/main).',
    ],
    [
      'an issuer that is not a URL',
      { OAUTH_ISSUER: 'auth.example.com' },
      'OAUTH_ISSUER must be an absolute https URL (got "auth.example.com").',
    ],
    [
      'an issuer with a query',
      { OAUTH_ISSUER: 'https://a.example.com/?x=1' },
      'OAUTH_ISSUER must not have a query or fragment (RFC 8414 §2).',
    ],
    [
      'a plain-http issuer off loopback',
      { OAUTH_ISSUER: 'http://auth.example.com' },
      'OAUTH_ISSUER must use https (got "http://auth.example.com"); plain http is allowed on loopback only, or with OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP=true.',
    ],
    [
      'HS256 in the algorithms',
      { OAUTH_ALGORITHMS: 'RS256,HS256' },
      'OAUTH_ALGORITHMS must not contain "HS256": only asymmetric algorithms are accepted (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA).',
    ],
    [
      'none in the algorithms',
      { OAUTH_ALGORITHMS: 'None' },
      'OAUTH_ALGORITHMS must not contain "None": only asymmetric algorithms are accepted (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA).',
    ],
    [
      'an unknown algorithm',
      { OAUTH_ALGORITHMS: 'RS257' },
      'OAUTH_ALGORITHMS: unknown algorithm "RS257"; choose from RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA.',
    ],
    [
      'a tolerance above 300 s',
      { OAUTH_CLOCK_TOLERANCE_S: '301' },
      'OAUTH_CLOCK_TOLERANCE_S must be a whole number from 0 to 300 (got "301").',
    ],
    [
      'a negative tolerance',
      { OAUTH_CLOCK_TOLERANCE_S: '-1' },
      'OAUTH_CLOCK_TOLERANCE_S must be a whole number from 0 to 300 (got "-1").',
    ],
    [
      'a tiny token limit',
      { OAUTH_MAX_TOKEN_BYTES: '10' },
      'OAUTH_MAX_TOKEN_BYTES must be a whole number from 1024 to 65536 (got "10").',
    ],
    [
      'both a JWKS URI and a static key',
      { OAUTH_JWKS_URI: 'https://a.example.com/k', OAUTH_PUBLIC_KEY: '{}' },
      'Set either OAUTH_JWKS_URI or OAUTH_PUBLIC_KEY, not both.',
    ],
    [
      'an introspection URL without client credentials',
      { OAUTH_INTROSPECTION_URL: 'https://a.example.com/introspect' },
      'Token introspection (RFC 7662) needs both OAUTH_INTROSPECTION_CLIENT_ID and OAUTH_INTROSPECTION_CLIENT_SECRET (OAUTH_INTROSPECTION_URL is optional: the issuer metadata names it).',
    ],
    [
      'a client id without a secret',
      { OAUTH_INTROSPECTION_CLIENT_ID: 'rs' },
      'Token introspection (RFC 7662) needs both OAUTH_INTROSPECTION_CLIENT_ID and OAUTH_INTROSPECTION_CLIENT_SECRET (OAUTH_INTROSPECTION_URL is optional: the issuer metadata names it).',
    ],
    [
      'credentials in the JWKS URL',
      { OAUTH_JWKS_URI: 'https://u:p@a.example.com/k' },
      'OAUTH_JWKS_URI must not carry credentials in the URL.',
    ],
    [
      'a private PEM key',
      { OAUTH_PUBLIC_KEY: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
      `${help}; got another PEM type.`,
    ],
    [
      'a private JWK',
      { OAUTH_PUBLIC_KEY: JSON.stringify(rsa.privateKey.export({ format: 'jwk' })) },
      `${help}; the JWK is a private key: give its public part only.`,
    ],
    [
      'a symmetric JWK',
      { OAUTH_PUBLIC_KEY: '{"kty":"oct","k":"c2VjcmV0"}' },
      `${help}; the JWK is a symmetric key (HMAC is refused).`,
    ],
    [
      'a JWKS holding a symmetric key',
      { OAUTH_PUBLIC_KEY: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}' },
      `${help}; keys[0] is a symmetric key (HMAC is refused).`,
    ],
    ['an empty JWKS', { OAUTH_PUBLIC_KEY: '{"keys":[]}' }, `${help}; the JWKS has no keys.`],
    ['a broken JWK', { OAUTH_PUBLIC_KEY: '{"kty":"RSA","n":"x"}' }, `${help}; the JWK could not be read.`],
    ['garbage', { OAUTH_PUBLIC_KEY: 'abc' }, `${help}; it is neither PEM nor JSON.`],
    ['an unknown mode', { MCP_AUTH: 'basic' }, 'MCP_AUTH must be one of oauth, api-key, none (got "basic").'],
    [
      'a bad flag',
      { OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP: 'yes' },
      'OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP must be true or false (got "yes").',
    ],
  ])('refuses %s', (_, env, message) => {
    expect(() => oauth(env)).toThrow(new ConfigError(message));
  });

  it('never echoes the introspection client secret', () => {
    const error = (() => {
      try {
        oauth({
          OAUTH_INTROSPECTION_URL: 'ftp://a',
          OAUTH_INTROSPECTION_CLIENT_ID: 'rs',
          OAUTH_INTROSPECTION_CLIENT_SECRET: 'hunter2-secret',
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).not.toContain('hunter2-secret');
  });
});

describe('loadAuthConfig: other modes', () => {
  it('api-key needs MCP_API_KEYS_FILE', () => {
    expect(() => loadAuthConfig({ MCP_AUTH: 'api-key' }, PUBLIC_URL)).toThrow(
      new ConfigError(
        'MCP_AUTH=api-key needs MCP_API_KEYS_FILE: the path of a JSON file {"keys":[{"sha256":"<hex>","subject":"...","roles":[],"scopes":[]}]} (hash a key with `npm run hash-key`).',
      ),
    );
  });

  it('none needs nothing', () => {
    expect(loadAuthConfig({ MCP_AUTH: 'none' }, PUBLIC_URL)).toEqual({ mode: 'none', maxTokenBytes: 8192 });
  });
});
