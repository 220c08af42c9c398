import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { claimAt } from './dev-authorization-server.js';
import type { DevState } from './dev-state.js';
import { DEV_STATE_FILE, readDevState } from './dev-state.js';

export interface DevTokenRequest {
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly ttlSeconds: number;
}

/**
 * An access token from the development authorization server's key, shaped as its own (RFC 9068:
 * `typ: at+jwt`, `iss`, `aud` = the MCP server, `sub`, `client_id`, `scope`, roles under the
 * roles claim): for scripts and curl against `npm run dev`, without a browser.
 */
export async function mintDevToken(state: DevState, request: DevTokenRequest, now = Date.now()): Promise<string> {
  const alg = typeof state.signingKey.alg === 'string' ? state.signingKey.alg : 'ES256';
  const key = await importJWK(state.signingKey, alg);
  const iat = Math.floor(now / 1000);
  return new SignJWT({
    scope: request.scopes.join(' '),
    client_id: 'npm-run-token',
    ...(request.roles.length > 0 ? claimAt(state.rolesClaimPath, [...request.roles]) : {}),
  })
    .setProtectedHeader({ alg, typ: 'at+jwt', ...(state.signingKey.kid ? { kid: state.signingKey.kid } : {}) })
    .setIssuer(state.issuer)
    .setAudience(state.resource)
    .setSubject(request.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + request.ttlSeconds)
    .setJti(randomUUID())
    .sign(key);
}

/** Reads `--scope a --scope "b c" --role r --sub alice --ttl 3600`; a usage error throws with the usage. */
export function parseTokenArgs(argv: readonly string[]): DevTokenRequest {
  const scopes: string[] = [];
  const roles: string[] = [];
  let subject = 'developer';
  let ttlSeconds = 3600;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || !['--scope', '--role', '--sub', '--ttl'].includes(flag ?? ''))
      throw new Error(TOKEN_USAGE);
    i++;
    if (flag === '--scope') scopes.push(...value.split(/[\s,]+/).filter(Boolean));
    else if (flag === '--role') roles.push(...value.split(/[\s,]+/).filter(Boolean));
    else if (flag === '--sub') subject = value;
    else {
      ttlSeconds = Number(value);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 86_400)
        throw new Error(`--ttl is seconds from 1 to 86400\n${TOKEN_USAGE}`);
    }
  }
  return { subject, scopes: [...new Set(scopes)], roles: [...new Set(roles)], ttlSeconds };
}

const TOKEN_USAGE = 'usage: npm run token -- [--scope "<scope> ..."] [--role <role>] [--sub <user>] [--ttl <seconds>]';

/** The entry of `npm run token`: prints one token on stdout, for the server `npm run dev` runs. */
export async function runToken(
  argv: readonly string[] = process.argv.slice(2),
  stateFile = DEV_STATE_FILE,
): Promise<void> {
  let request: DevTokenRequest;
  try {
    request = parseTokenArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const state = readDevState(stateFile);
  if (!state) {
    process.stderr.write(
      'no development authorization server yet: start `npm run dev` first (it keeps its key for this command).\n',
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${await mintDevToken(state, request)}\n`);
}
