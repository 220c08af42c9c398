import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import { B64TOKEN } from './b64token.js';
import { InvalidTokenError, type Principal, type TokenVerifier } from './principal.js';

/** One entry of the keys file: the key itself is never stored, only its SHA-256. */
export interface ApiKeyEntry {
  readonly sha256: string;
  readonly subject: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
}

const DEFAULT_MAX_KEY_BYTES = 8192;

/** Shorter keys are refused by `hash-key`: 32 base64url characters carry 192 bits. */
const MIN_API_KEY_LENGTH = 32;

/**
 * Why the server would never accept `key`, or `undefined` when it would:
 * the one rule `hash-key` applies before printing a hash. A key travels as
 * `Authorization: Bearer <key>` or `X-API-Key`, so it must be an RFC 6750
 * b64token within OAUTH_MAX_TOKEN_BYTES; and it must be long enough not to
 * be guessed. Never returns any part of the key.
 */
export function apiKeyProblem(key: string, maxBytes: number = DEFAULT_MAX_KEY_BYTES): string | undefined {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > maxBytes)
    return `the key is ${bytes} bytes long; the server refuses credentials over ${maxBytes} bytes (OAUTH_MAX_TOKEN_BYTES)`;
  if (key.length < MIN_API_KEY_LENGTH)
    return `the key has ${key.length} characters; at least ${MIN_API_KEY_LENGTH} are needed`;
  if (!B64TOKEN.test(key)) {
    return 'the key may only hold letters, digits and - . _ ~ + / (then = at the end), the characters of a bearer credential (RFC 6750 §2.1); the server refuses anything else';
  }
  return undefined;
}

/** A new key: 32 random bytes, base64url (43 characters, 256 bits). */
export function generateApiKey(): string {
  return randomBytes(32).toString('base64url');
}

/** The lowercase hex SHA-256 of a key, as written in the keys file. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Reads and checks MCP_API_KEYS_FILE at start-up; `ConfigError` names the file and the bad entry. */
export function readApiKeysFile(path: string): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `MCP_API_KEYS_FILE: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`MCP_API_KEYS_FILE: "${path}" is not valid JSON.`);
  }
  return parseApiKeys(json, path);
}

/** Checks the parsed keys file `{ "keys": [ { sha256, subject, roles?, scopes? } ] }`. */
export function parseApiKeys(json: unknown, source: string): ApiKeyEntry[] {
  const fail = (what: string): never => {
    throw new ConfigError(`MCP_API_KEYS_FILE "${source}": ${what}`);
  };
  if (!isObject(json) || !Array.isArray(json.keys)) return fail('expected {"keys": [...]}.');
  if (json.keys.length === 0) return fail('"keys" is empty: no one could sign in.');
  const seen = new Set<string>();
  return json.keys.map((entry: unknown, index): ApiKeyEntry => {
    const at = `keys[${index}]`;
    if (!isObject(entry)) return fail(`${at} must be an object.`);
    const { sha256, subject } = entry;
    if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) {
      return fail(`${at}.sha256 must be 64 hex characters (the SHA-256 of the key; \`npm run hash-key\` prints it).`);
    }
    const digest = sha256.toLowerCase();
    if (seen.has(digest)) return fail(`${at}.sha256 repeats an earlier entry.`);
    seen.add(digest);
    if (typeof subject !== 'string' || subject.trim() === '') return fail(`${at}.subject must be a non-empty string.`);
    const extra = Object.keys(entry).filter((k) => !['sha256', 'subject', 'roles', 'scopes'].includes(k));
    if (extra.length > 0) return fail(`${at} has unknown field(s) ${extra.join(', ')}.`);
    return Object.freeze({
      sha256: digest,
      subject,
      roles: strings(entry.roles, `${at}.roles`, fail),
      scopes: strings(entry.scopes, `${at}.scopes`, fail),
    });
  });
}

/**
 * MCP_AUTH=api-key: the presented key is hashed and compared with every
 * entry in constant time (no early exit), so neither the match nor its
 * position leaks through timing. Takes the checked keys file or the
 * `ApiKeySettings` of `loadAuthConfig`. Does not check roles or scopes: the guard does.
 */
export function createApiKeyVerifier(file: {
  readonly keys: readonly ApiKeyEntry[];
  /** Longer keys are refused unhashed; default 8192 (OAUTH_MAX_TOKEN_BYTES). */
  readonly maxTokenBytes?: number;
}): TokenVerifier {
  const { keys } = file;
  const maxKeyBytes = file.maxTokenBytes ?? DEFAULT_MAX_KEY_BYTES;
  const digests = keys.map((entry) => Buffer.from(entry.sha256, 'hex'));
  // One frozen principal per key, the same for every request with it (as the token cache does for
  // JWTs): what the guard and the gate derive per principal is then derived once per key.
  const principals: readonly Principal[] = keys.map((entry) =>
    Object.freeze({
      subject: entry.subject,
      scopes: entry.scopes,
      roles: entry.roles,
      claims: Object.freeze({}),
      via: 'api-key' as const,
    }),
  );
  return {
    async verify(key: string): Promise<Principal> {
      if (key.length === 0 || Buffer.byteLength(key, 'utf8') > maxKeyBytes)
        throw new InvalidTokenError('invalid API key');
      const presented = createHash('sha256').update(key, 'utf8').digest();
      let match: Principal | undefined;
      keys.forEach((_entry, index) => {
        // Evaluate every comparison; only then pick the result.
        const equal = timingSafeEqual(presented, digests[index]!);
        if (equal) match = principals[index];
      });
      if (!match) throw new InvalidTokenError('invalid API key');
      return match;
    },
  };
}

function strings(value: unknown, at: string, fail: (what: string) => never): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '' && !/\s/.test(v))) {
    return fail(`${at} must be an array of non-empty strings without spaces.`);
  }
  return Object.freeze([...new Set(value as string[])]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
