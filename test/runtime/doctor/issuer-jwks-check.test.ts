import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig, type OAuthSettings } from '../../../templates/runtime/auth/auth-config.js';
import { checkIssuer } from '../../../templates/runtime/doctor/issuer-check.js';
import { checkJwks } from '../../../templates/runtime/doctor/jwks-check.js';
import { json, startAuthServer, testKey, type AuthServer, type TestKey } from '../auth/support/auth-server.js';
import { METADATA, PUBLIC_URL, serveIssuer } from './support/doctor-fixtures.js';

let auth: AuthServer;
let rsa: TestKey;
let ec: TestKey;

const settings = (env: Record<string, string> = {}): OAuthSettings =>
  loadAuthConfig({ OAUTH_ISSUER: auth.origin, ...env }, new URL(PUBLIC_URL)) as OAuthSettings;
const jwks = () => new URL(`${auth.origin}/jwks`);

beforeAll(async () => {
  auth = await startAuthServer();
  rsa = await testKey('RS256', 'rsa-1');
  ec = await testKey('ES256', 'ec-1');
});
afterAll(() => auth.stop());
beforeEach(() => serveIssuer(auth, [rsa.jwk, ec.jwk]));

describe('issuer discovery', () => {
  it('passes when the metadata names the configured issuer exactly and offers PKCE and registration', async () => {
    const result = await checkIssuer(settings(), 1000);
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['issuer-metadata', 'ok'],
      ['authorization-server-pkce', 'ok'],
      ['authorization-server-registration', 'ok'],
    ]);
    expect(result.metadata?.jwksUri?.href).toBe(`${auth.origin}/jwks`);
  });

  it("fails on Auth0's trailing slash and says which value to set", async () => {
    serveIssuer(auth, [rsa.jwk], { issuer: `${auth.origin}/` });
    const [check] = (await checkIssuer(settings(), 1000)).checks;
    expect(check).toEqual({
      id: 'issuer-metadata',
      status: 'fail',
      message: `issuer mismatch: OAUTH_ISSUER is "${auth.origin}" but the metadata at ${auth.origin}${METADATA} says "${auth.origin}/"; they must be identical (RFC 8414 §3.3): set OAUTH_ISSUER to "${auth.origin}/"; every authenticated request is answered 503 until this works`,
    });
  });

  it('finds OpenID metadata when there is no RFC 8414 document', async () => {
    auth.routes.delete(METADATA);
    auth.routes.set(
      '/.well-known/openid-configuration',
      json({ issuer: auth.origin, jwks_uri: `${auth.origin}/jwks` }),
    );
    const result = await checkIssuer(settings(), 1000);
    expect(result.checks[0]).toEqual({
      id: 'issuer-metadata',
      status: 'ok',
      message: `issuer "${auth.origin}" matches its metadata at ${auth.origin}/.well-known/openid-configuration`,
    });
    expect(result.checks.slice(1).map((c) => [c.id, c.status])).toEqual([
      ['authorization-server-pkce', 'warn'],
      ['authorization-server-registration', 'warn'],
    ]);
    expect(result.checks[1]?.message).toMatch(
      /does not list S256 in code_challenge_methods_supported: MCP clients refuse/,
    );
  });

  it('fails when no metadata document exists, naming every URL tried', async () => {
    auth.routes.clear();
    const [check] = (await checkIssuer(settings(), 1000)).checks;
    expect(check?.status).toBe('fail');
    expect(check?.message).toBe(
      `no authorization server metadata for issuer "${auth.origin}"; tried ${auth.origin}${METADATA} (404), ${auth.origin}/.well-known/openid-configuration (404); every authenticated request is answered 503 until this works`,
    );
  });

  it('fails when the issuer is unreachable', async () => {
    const down = await startAuthServer();
    await down.stop();
    const [check] = (await checkIssuer(settings({ OAUTH_ISSUER: down.origin }), 1000)).checks;
    expect(check?.status).toBe('fail');
    expect(check?.message).toMatch(
      new RegExp(`^authorization server metadata at ${down.origin}${METADATA}: could not be reached`),
    );
  });

  it('only warns when OAUTH_JWKS_URI makes the verifier independent of discovery', async () => {
    auth.routes.clear();
    const [check] = (await checkIssuer(settings({ OAUTH_JWKS_URI: jwks().href }), 1000)).checks;
    expect(check?.status).toBe('warn');
    expect(check?.message).toMatch(/MCP clients that discover the authorization server .* will fail$/);
  });
});

describe('JWKS', () => {
  it('counts the usable signing keys', async () => {
    const result = await checkJwks(settings(), jwks(), 1000);
    expect(result.check).toEqual({
      id: 'jwks',
      status: 'ok',
      message: `JWKS at ${jwks().href}: 2 usable signing key(s) (kid "rsa-1", kid "ec-1")`,
    });
    expect(result.getKey).toBeTypeOf('function');
  });

  it('fails on a duplicate kid, with the verifier’s own words', async () => {
    const other = await testKey('RS256', 'rsa-1');
    serveIssuer(auth, [rsa.jwk, other.jwk]);
    const { check } = await checkJwks(settings(), jwks(), 1000);
    expect(check.status).toBe('fail');
    expect(check.message).toBe(
      `JWKS at ${jwks().href}: key kid "rsa-1": several keys have kid "rsa-1" for "RS256"; kid values must be unique (RFC 7517 §4.5); tokens signed with such a key are answered 503: fix the key set at the authorization server`,
    );
  });

  it('fails when no key can verify tokens (an encryption key, a symmetric key, an algorithm not allowed)', async () => {
    serveIssuer(auth, [
      { ...rsa.jwk, use: 'enc' },
      { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
      { ...ec.jwk, alg: 'ES256' },
    ]);
    const { check } = await checkJwks(settings({ OAUTH_ALGORITHMS: 'RS256' }), jwks(), 1000);
    expect(check).toEqual({
      id: 'jwks',
      status: 'fail',
      message: `JWKS at ${jwks().href}: no usable signing key (RSA, EC or OKP with use "sig" and an algorithm in OAUTH_ALGORITHMS: RS256)`,
    });
  });

  it('fails on an RSA key under 2048 bits', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    serveIssuer(auth, [{ ...small, kid: 'small', alg: 'RS256', use: 'sig' }, ec.jwk]);
    const { check } = await checkJwks(settings(), jwks(), 1000);
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(
      /key kid "small": the key with kid "small" is RSA with 1024 bits; at least 2048 are needed \(RFC 7518 §3\.3\)/,
    );
  });

  it('fails on a private key published in the set', async () => {
    const priv = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    serveIssuer(auth, [{ ...priv, kid: 'leak', alg: 'ES256' }, rsa.jwk]);
    const { check } = await checkJwks(settings(), jwks(), 1000);
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(
      /key kid "leak": a private key, published in the key set: remove it and rotate that key/,
    );
  });

  it('fails when the JWKS is not served', async () => {
    auth.routes.delete('/jwks');
    const { check } = await checkJwks(settings(), jwks(), 1000);
    expect(check).toEqual({
      id: 'jwks',
      status: 'fail',
      message: `JWKS at ${jwks().href}: HTTP 404; JWT requests are answered 503 until it serves the key set`,
    });
  });

  it('fails when the document is not a key set', async () => {
    auth.routes.set('/jwks', json({ issuer: auth.origin }));
    const { check } = await checkJwks(settings(), jwks(), 1000);
    expect(check.message).toBe(`JWKS at ${jwks().href}: not a JSON Web Key Set ({"keys": [...]})`);
  });
});
