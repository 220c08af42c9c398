import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createApiKeyVerifier,
  hashApiKey,
  parseApiKeys,
  readApiKeysFile,
} from '../../../templates/runtime/auth/api-keys.js';
import { InvalidTokenError } from '../../../templates/runtime/auth/principal.js';
import { ConfigError } from '../../../templates/runtime/server/config.js';
import { rejects } from './support/auth-server.js';

const KEY = 'mcp_live_4f9c2a7e1b3d5f60';
const OTHER = 'mcp_live_0000000000000000';

const keys = parseApiKeys(
  {
    keys: [
      { sha256: hashApiKey(OTHER), subject: 'other' },
      { sha256: hashApiKey(KEY).toUpperCase(), subject: 'ci-bot', roles: ['reader'], scopes: ['pets:read'] },
    ],
  },
  'keys.json',
);

describe('hashApiKey', () => {
  it('is the lowercase hex SHA-256 of the UTF-8 key', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('createApiKeyVerifier', () => {
  it('accepts a listed key and returns its subject, roles and scopes', async () => {
    await expect(createApiKeyVerifier({ keys }).verify(KEY)).resolves.toEqual({
      subject: 'ci-bot',
      roles: ['reader'],
      scopes: ['pets:read'],
      claims: {},
      via: 'api-key',
    });
  });

  it('answers every request with one key with the same frozen principal, and another key with its own', async () => {
    const verifier = createApiKeyVerifier({ keys });
    const first = await verifier.verify(KEY);
    expect(await verifier.verify(KEY)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const other = await verifier.verify(OTHER);
    expect(other).not.toBe(first);
    expect(other.subject).toBe('other');
  });

  it.each([
    ['an unlisted key', 'mcp_live_ffffffffffffffff'],
    ['a listed key with one character changed', `${KEY.slice(0, -1)}1`],
    ['the hash instead of the key', hashApiKey(KEY)],
    ['an empty key', ''],
  ])('refuses %s', async (_, key) => {
    await rejects(createApiKeyVerifier({ keys }).verify(key), InvalidTokenError, 'invalid API key', key);
  });

  it('refuses an oversized key without hashing it', async () => {
    const big = 'k'.repeat(10_000);
    await rejects(
      createApiKeyVerifier({ keys, maxTokenBytes: 8192 }).verify(big),
      InvalidTokenError,
      'invalid API key',
      big,
    );
  });
});

describe('keys file', () => {
  const hex = hashApiKey('x');
  it.each([
    ['not an object', [], 'expected {"keys": [...]}.'],
    ['no keys', { keys: [] }, '"keys" is empty: no one could sign in.'],
    ['an entry that is not an object', { keys: ['abc'] }, 'keys[0] must be an object.'],
    [
      'a short hash',
      {
        keys: [
          { sha256: hex, subject: 'a' },
          { sha256: 'abc', subject: 'b' },
        ],
      },
      'keys[1].sha256 must be 64 hex characters (the SHA-256 of the key; `npm run hash-key` prints it).',
    ],
    [
      'a repeated hash',
      {
        keys: [
          { sha256: hex, subject: 'a' },
          { sha256: hex.toUpperCase(), subject: 'b' },
        ],
      },
      'keys[1].sha256 repeats an earlier entry.',
    ],
    ['no subject', { keys: [{ sha256: hex }] }, 'keys[0].subject must be a non-empty string.'],
    [
      'roles not an array',
      { keys: [{ sha256: hex, subject: 'a', roles: 'reader' }] },
      'keys[0].roles must be an array of non-empty strings without spaces.',
    ],
    [
      'a scope with a space',
      { keys: [{ sha256: hex, subject: 'a', scopes: ['a b'] }] },
      'keys[0].scopes must be an array of non-empty strings without spaces.',
    ],
    [
      'a plain-text key field',
      { keys: [{ sha256: hex, subject: 'a', key: 'secret' }] },
      'keys[0] has unknown field(s) key.',
    ],
  ])('refuses %s, naming the entry', (_, json, message) => {
    expect(() => parseApiKeys(json, 'keys.json')).toThrow(new ConfigError(`MCP_API_KEYS_FILE "keys.json": ${message}`));
  });

  it('reads a file from disk', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [{ sha256: hex, subject: 'a' }] }));
    expect(readApiKeysFile(file)).toEqual([{ sha256: hex, subject: 'a', roles: [], scopes: [] }]);
  });

  it('refuses a file that is not JSON or does not exist', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys.json');
    expect(() => readApiKeysFile(file)).toThrow(new ConfigError(`MCP_API_KEYS_FILE: cannot read "${file}" (ENOENT).`));
    writeFileSync(file, '{ keys: ');
    expect(() => readApiKeysFile(file)).toThrow(new ConfigError(`MCP_API_KEYS_FILE: "${file}" is not valid JSON.`));
  });
});
