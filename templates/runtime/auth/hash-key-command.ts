import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { readInteger } from '../config/env-readers.js';
import { apiKeyProblem, generateApiKey, hashApiKey, parseApiKeys } from './api-keys.js';

export interface HashKeyInput {
  /** Arguments after the script name: `--subject`, `--roles`, `--scopes`, `--generate`. */
  readonly argv: readonly string[];
  /** What was piped on stdin; `undefined` when stdin is a terminal (then a key is generated). */
  readonly stdin: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface HashKeyOutput {
  /** The keys-file entry, one JSON line; empty on failure. */
  readonly stdout: string;
  /** A generated key (shown once) or what went wrong; never a key that was piped in. */
  readonly stderr: string;
  readonly exitCode: 0 | 2;
}

const USAGE = `usage: printf '%s' "$KEY" | npm run hash-key -- [--subject name] [--roles a,b] [--scopes "a b"]
       npm run hash-key -- --generate [--subject name] [--roles a,b] [--scopes "a b"]
The key is read from stdin, never from the command line (ps and shell history would show it);
without piped input (or with --generate) a strong key is generated and shown once.
`;

/**
 * `npm run hash-key`: prints the MCP_API_KEYS_FILE entry for a key, which is
 * read from stdin or generated. A key the server would refuse (apiKeyProblem)
 * and an entry the server would refuse (parseApiKeys) are refused here with
 * the same rules, so what this prints always works. Pure: the caller does the I/O.
 */
export function hashKeyCommand(input: HashKeyInput): HashKeyOutput {
  const fail = (message: string): HashKeyOutput => ({
    stdout: '',
    stderr: `hash-key: ${message}\n${USAGE}`,
    exitCode: 2,
  });
  let values: { subject?: string; roles?: string; scopes?: string; generate?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...input.argv],
      options: {
        subject: { type: 'string' },
        roles: { type: 'string' },
        scopes: { type: 'string' },
        generate: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return fail((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) return { stdout: '', stderr: USAGE, exitCode: 2 };
  // Never echo a positional argument: it may be the key itself.
  if (positionals.length > 0)
    return fail('arguments without a flag are not accepted; pipe the key on stdin instead of passing it');

  const generate = values.generate === true || input.stdin === undefined;
  if (values.generate && input.stdin !== undefined && input.stdin !== '')
    return fail('--generate and a key on stdin: choose one');
  // One trailing newline is what `echo` and editors add; anything else is part of the key.
  const key = generate ? generateApiKey() : (input.stdin ?? '').replace(/\r?\n$/, '');
  if (key === '') return fail('stdin is empty: pipe a key, or use --generate');
  const problem = apiKeyProblem(key, maxBytes(input.env));
  if (problem) return fail(`${problem}.`);

  const entry = {
    sha256: hashApiKey(key),
    subject: values.subject ?? 'api-key-user',
    roles: (values.roles ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    scopes: (values.scopes ?? '').split(' ').filter(Boolean),
  };
  try {
    parseApiKeys({ keys: [entry] }, 'hash-key');
  } catch (error) {
    if (error instanceof ConfigError)
      return fail(error.message.replace(/^MCP_API_KEYS_FILE "hash-key": keys\[0\]/, 'the entry'));
    throw error;
  }
  return {
    stdout: `${JSON.stringify(entry)}\n`,
    stderr: generate
      ? `New API key, shown only now (MCP_API_KEYS_FILE keeps its hash only); give it to the client:\n${key}\n`
      : '',
    exitCode: 0,
  };
}

/** OAUTH_MAX_TOKEN_BYTES as the server reads it; a value the server would refuse leaves the default here. */
function maxBytes(env: HashKeyInput['env'] = {}): number | undefined {
  try {
    return readInteger(env, 'OAUTH_MAX_TOKEN_BYTES');
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}
