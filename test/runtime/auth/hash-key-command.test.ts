import { describe, expect, it } from 'vitest';
import { apiKeyProblem, createApiKeyVerifier, parseApiKeys } from '../../../templates/runtime/auth/api-keys.js';
import { B64TOKEN } from '../../../templates/runtime/auth/b64token.js';
import { hashKeyCommand } from '../../../templates/runtime/auth/hash-key-command.js';

const GOOD = 'k_0123456789abcdefghijklmnopqrstuvwxyz';

/** The server's side: the printed entry, loaded as MCP_API_KEYS_FILE, must accept the key. */
async function serverAccepts(entryLine: string, key: string): Promise<boolean> {
  const keys = parseApiKeys({ keys: [JSON.parse(entryLine)] }, 'test');
  return createApiKeyVerifier({ keys })
    .verify(key)
    .then(
      () => B64TOKEN.test(key),
      () => false,
    );
}

describe('hash-key reads the key from stdin', () => {
  it('prints the entry of a piped key, which the server then accepts', async () => {
    const out = hashKeyCommand({
      argv: ['--subject', 'ci-bot', '--roles', 'reader,writer', '--scopes', 'pets:read pets:write'],
      stdin: `${GOOD}\n`,
    });
    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(out.stdout)).toEqual({
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      subject: 'ci-bot',
      roles: ['reader', 'writer'],
      scopes: ['pets:read', 'pets:write'],
    });
    expect(await serverAccepts(out.stdout, GOOD)).toBe(true);
  });

  it('refuses a key given on the command line, without echoing it', () => {
    const out = hashKeyCommand({ argv: [GOOD, 'ci-bot'], stdin: undefined });
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^hash-key: arguments without a flag are not accepted; pipe the key on stdin/);
    expect(out.stderr).not.toContain(GOOD);
  });

  it.each([
    ['too short', 'short-key-123', /the key has 13 characters; at least 32 are needed/],
    ['with a space (the server refuses it)', `${GOOD} x`, /only hold letters, digits and - \. _ ~ \+ \//],
    ['with a colon', `${GOOD}:x`, /RFC 6750 §2\.1/],
    ['with non-ASCII', `${GOOD}é`, /only hold letters/],
    ['with = inside', `abc=${GOOD}`, /only hold letters/],
    ['over OAUTH_MAX_TOKEN_BYTES', 'a'.repeat(9000), /9000 bytes long; the server refuses credentials over 8192 bytes/],
    ['empty', '', /stdin is empty: pipe a key, or use --generate/],
  ])('refuses a key %s, with the rule the server applies, and never echoes it', (_, key, message) => {
    const out = hashKeyCommand({ argv: [], stdin: key });
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
    if (key.length >= 8) expect(out.stderr).not.toContain(key);
  });

  it('honours a larger OAUTH_MAX_TOKEN_BYTES as the server does', () => {
    const out = hashKeyCommand({ argv: [], stdin: 'a'.repeat(9000), env: { OAUTH_MAX_TOKEN_BYTES: '16384' } });
    expect(out.exitCode).toBe(0);
  });

  it('keeps every character but one trailing newline', async () => {
    const out = hashKeyCommand({ argv: [], stdin: `${GOOD}==\r\n` });
    expect(await serverAccepts(out.stdout, `${GOOD}==`)).toBe(true);
  });

  it('refuses roles or scopes the keys file would refuse', () => {
    const out = hashKeyCommand({ argv: ['--subject', ' '], stdin: GOOD });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^hash-key: the entry\.subject must be a non-empty string/);
  });

  it('refuses unknown flags', () => {
    expect(hashKeyCommand({ argv: ['--key', GOOD], stdin: undefined }).stderr).not.toContain(GOOD);
    expect(hashKeyCommand({ argv: ['--key', GOOD], stdin: undefined }).exitCode).toBe(2);
  });
});

describe('hash-key generates a key when none is piped', () => {
  it('generates a strong key on a terminal, shows it once on stderr, and the server accepts it', async () => {
    const out = hashKeyCommand({ argv: ['--subject', 'alice'], stdin: undefined });
    expect(out.exitCode).toBe(0);
    const key = /\n([A-Za-z0-9_-]{43})\n$/.exec(out.stderr)?.[1] ?? '';
    expect(apiKeyProblem(key)).toBeUndefined();
    expect(out.stdout).not.toContain(key);
    expect(await serverAccepts(out.stdout, key)).toBe(true);
  });

  it('generates with --generate when stdin is empty (CI), and refuses --generate with a piped key', () => {
    expect(hashKeyCommand({ argv: ['--generate'], stdin: '' }).exitCode).toBe(0);
    expect(hashKeyCommand({ argv: ['--generate'], stdin: GOOD }).stderr).toMatch(/choose one/);
  });

  it('generates a different key each time', () => {
    const keys = new Set(Array.from({ length: 5 }, () => hashKeyCommand({ argv: [], stdin: undefined }).stdout));
    expect(keys.size).toBe(5);
  });
});
