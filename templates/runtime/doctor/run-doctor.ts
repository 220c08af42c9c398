import type { AppDefinition } from '../mcp/types.js';
import { exitCodeOf, formatChecks, formatChecksJson, warn } from './check.js';
import { diagnose, type DiagnoseOptions, type Diagnosis } from './diagnose.js';
import type { TokenSummary } from './token-check.js';

const DOCTOR_USAGE = 'usage: npm run doctor -- [--token <jwt> | --token -] [--json] [--timeout <ms>]';

export interface DoctorArgs {
  /** `-`: read the token from stdin (keeps it out of `ps` and shell history). */
  readonly token?: string;
  readonly json: boolean;
  readonly timeoutMs: number;
}

/** Parses the doctor's flags; a usage error throws with the usage. */
function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  let token: string | undefined;
  let json = false;
  let timeoutMs = 5000;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') {
      json = true;
      continue;
    }
    const value = argv[i + 1];
    if ((flag !== '--token' && flag !== '--timeout') || value === undefined) throw new Error(DOCTOR_USAGE);
    i++;
    if (flag === '--token') token = value;
    else {
      timeoutMs = Number(value);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
        throw new Error(`--timeout is milliseconds from 100 to 60000\n${DOCTOR_USAGE}`);
    }
  }
  return { ...(token === undefined ? {} : { token }), json, timeoutMs };
}

export interface DoctorIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: AsyncIterable<Uint8Array | string>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now?: DiagnoseOptions['now'];
}

/**
 * The entry of `npm run doctor`: checks the deployment from the environment
 * and prints one line per check (or JSON with `--json`). Returns the exit
 * code: 1 on any blocking problem, 2 on a usage error, else 0. The token is
 * read, checked and dropped; no output holds it.
 */
export async function runDoctor(app: AppDefinition, argv: readonly string[], io: DoctorIo): Promise<number> {
  let args: DoctorArgs;
  try {
    args = parseDoctorArgs(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
  const token = args.token === '-' ? await readToken(io.stdin) : args.token?.trim();
  if (token === '') {
    io.err(`no token given\n${DOCTOR_USAGE}\n`);
    return 2;
  }
  const diagnosed = await diagnose(app, io.env, {
    ...(token ? { token } : {}),
    timeoutMs: args.timeoutMs,
    ...(io.now ? { now: io.now } : {}),
  });
  // A token on the command line shows in `ps` and the shell history, as hash-key avoids for keys.
  const diagnosis: Diagnosis =
    token && args.token !== '-'
      ? {
          ...diagnosed,
          checks: [
            ...diagnosed.checks,
            warn(
              'token-input',
              'the token was given on the command line, where ps and the shell history see it: pipe it to --token - instead',
            ),
          ],
        }
      : diagnosed;
  io.out(
    args.json ? formatChecksJson(diagnosis.checks, diagnosis.token ? { token: diagnosis.token } : {}) : text(diagnosis),
  );
  return exitCodeOf(diagnosis.checks);
}

function text(diagnosis: Diagnosis): string {
  return `${diagnosis.token ? tokenLines(diagnosis.token) : ''}${formatChecks(diagnosis.checks)}`;
}

function tokenLines(token: TokenSummary): string {
  const rows: [string, string][] = [
    ['issuer', token.issuer ?? '(none)'],
    ['audience', token.audience.join(', ') || '(none)'],
    ['subject', token.subject ?? '(none)'],
    ['client', token.clientId ?? '(none)'],
    ['scopes', token.scopes.join(' ') || '(none)'],
    ['roles', token.roles.join(', ') || '(none)'],
    ['typ', token.typ ?? '(none)'],
    ['expires', token.expiresAt ?? '(never)'],
    [
      'tools',
      token.tools.length > 0
        ? `${token.tools.length}: ${token.tools.slice(0, 20).join(', ')}${token.tools.length > 20 ? ', ...' : ''}`
        : 'none',
    ],
  ];
  return `sample token\n${rows.map(([name, value]) => `  ${name.padEnd(9)}${value}`).join('\n')}\n`;
}

/** At most 64 KiB from stdin, trimmed: far above any token the server accepts (OAUTH_MAX_TOKEN_BYTES caps at 64 KiB). */
async function readToken(stdin: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    chunks.push(buffer);
    size += buffer.length;
    if (size > 65_536) break;
  }
  return Buffer.concat(chunks).subarray(0, 65_537).toString('utf8').trim();
}
