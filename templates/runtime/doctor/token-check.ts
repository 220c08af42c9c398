import { compactVerify, decodeJwt, decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { checkAccessTokenType, shown } from '../auth/access-token-type.js';
import type { OAuthSettings } from '../auth/auth-config.js';
import { AuthError } from '../auth/auth-error.js';
import { createTokenVerifier } from '../auth/create-verifier.js';
import { COMPACT_JWS } from '../auth/jwt-verifier.js';
import { principalFromClaims } from '../auth/token-claims.js';
import type { AppDefinition } from '../mcp/types.js';
import { callerOf, mayCall } from '../rbac/guard.js';
import { readClaim, roleClaimPath, rolesFromClaims } from '../rbac/roles.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';
import { audienceHint, roleClaimHint } from './token-hints.js';

export interface TokenCheckOptions {
  /** The key getter from the JWKS check, or absent when no keys could be read. */
  readonly getKey?: JWTVerifyGetKey;
  readonly rolesClaim?: string;
  readonly timeoutMs: number;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

/** What the doctor shows of a sample token: claims and verdicts, never the token or its signature. */
export interface TokenSummary {
  readonly issuer?: string;
  readonly audience: readonly string[];
  readonly subject?: string;
  readonly clientId?: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly typ?: string;
  readonly expiresAt?: string;
  readonly tools: readonly string[];
}

/**
 * Inspects a sample access token against this server's settings, one check
 * per rule the verifier applies (signature, `iss`, `aud` per RFC 8707, `typ`
 * per RFC 9068 §4, `exp`/`nbf`), then the verifier's own verdict, and which
 * tools the token may call (`callerOf` / `mayCall`: scopes and roles, not
 * the user's policy, which needs arguments). The token itself is never put
 * in a message; claims are shown cut short and without control characters.
 */
export async function checkToken(
  token: string,
  app: AppDefinition,
  settings: OAuthSettings,
  options: TokenCheckOptions,
): Promise<{ readonly checks: readonly DoctorCheck[]; readonly summary?: TokenSummary }> {
  if (Buffer.byteLength(token, 'utf8') > settings.maxTokenBytes) {
    return {
      checks: [
        fail(
          'token',
          `the sample token is larger than OAUTH_MAX_TOKEN_BYTES (${settings.maxTokenBytes}): the server refuses it; raise OAUTH_MAX_TOKEN_BYTES or trim the token's claims`,
        ),
      ],
    };
  }
  if (!COMPACT_JWS.test(token)) {
    // An opaque token: only introspection (RFC 7662) can say more, and it is the verifier's verdict.
    const why = settings.introspection
      ? undefined
      : 'the sample token is not a JWT (opaque tokens need OAUTH_INTROSPECTION_*)';
    return { checks: [await verdict(token, settings, options, why)] };
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    return { checks: [fail('token', 'the sample token is not a well-formed JWT')] };
  }
  const audience =
    typeof claims.aud === 'string'
      ? [claims.aud]
      : Array.isArray(claims.aud)
        ? claims.aud.filter((a) => typeof a === 'string')
        : [];
  const checks: DoctorCheck[] = [
    await signature(token, settings, options.getKey),
    claims.iss === settings.issuer
      ? ok('token-issuer', `iss "${settings.issuer}" is OAUTH_ISSUER`)
      : fail(
          'token-issuer',
          `iss ${typeof claims.iss === 'string' ? shown(claims.iss) : '(none)'} is not OAUTH_ISSUER "${settings.issuer}": they must be identical; check OAUTH_ISSUER or where the token comes from`,
        ),
    audience.some((aud) => settings.audiences.includes(aud))
      ? ok('token-audience', `aud ${list(audience)} includes an accepted audience`)
      : fail(
          'token-audience',
          `aud ${audience.length > 0 ? list(audience) : '(none)'} is not for this server, which accepts ${list(settings.audiences)} (RFC 8707). ${audienceHint(audience, settings.audiences)}`,
        ),
    typeCheck(header.typ, settings.acceptPlainJwt),
    expiry(claims, settings.clockToleranceS, options.now),
  ];
  const access = accessOf(app, claims, options.rolesClaim);
  checks.push(...access.checks);
  checks.push(await verdict(token, settings, options));
  return {
    checks,
    summary: {
      ...(typeof claims.iss === 'string' ? { issuer: cut(claims.iss) } : {}),
      audience: audience.map(cut),
      ...(typeof claims.sub === 'string' ? { subject: cut(claims.sub) } : {}),
      ...(access.clientId ? { clientId: cut(access.clientId) } : {}),
      scopes: access.scopes.map(cut),
      roles: access.roles.map(cut),
      ...(typeof header.typ === 'string' ? { typ: cut(header.typ) } : {}),
      ...(typeof claims.exp === 'number' ? { expiresAt: isoTime(claims.exp) } : {}),
      tools: access.tools,
    },
  };
}

async function signature(
  token: string,
  settings: OAuthSettings,
  getKey: JWTVerifyGetKey | undefined,
): Promise<DoctorCheck> {
  const key = settings.publicKey;
  const algorithms = { algorithms: [...settings.algorithms] };
  try {
    if (key?.kind === 'key') await compactVerify(token, key.key, algorithms);
    else if (getKey) await compactVerify(token, getKey, algorithms);
    else return warn('token-signature', 'not checked: no key set could be read (see the jwks check)');
    return ok('token-signature', 'the signature verifies with a key of the issuer');
  } catch (error) {
    if (error instanceof AuthError) return fail('token-signature', error.message);
    if (error instanceof errors.JWKSNoMatchingKey)
      return fail(
        'token-signature',
        "no key of the issuer's key set has the token's kid and alg: the token comes from another issuer, or the keys rotated",
      );
    if (error instanceof errors.JOSEAlgNotAllowed)
      return fail(
        'token-signature',
        `the token's algorithm is not in OAUTH_ALGORITHMS (${settings.algorithms.join(', ')})`,
      );
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return fail('token-signature', 'the signature does not verify: the token was altered or signed by another key');
    return fail('token-signature', `the signature cannot be checked (${(error as Error).name})`);
  }
}

function typeCheck(typ: unknown, acceptPlainJwt: boolean): DoctorCheck {
  try {
    checkAccessTokenType(typ, acceptPlainJwt);
    return ok('token-type', `typ ${typeof typ === 'string' ? shown(typ) : '(none)'} is accepted`);
  } catch (error) {
    return fail(
      'token-type',
      `${(error as AuthError).description}${/set OAUTH/.test((error as AuthError).description) ? '' : '; it is not an access token'}`,
    );
  }
}

function expiry(claims: JWTPayload, toleranceS: number, nowMs: number): DoctorCheck {
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number')
    return fail('token-expiry', 'the token has no exp: the server refuses tokens without an expiry');
  if (claims.exp + toleranceS <= now)
    return fail(
      'token-expiry',
      `the token expired at ${isoTime(claims.exp)} (${minutes(now - claims.exp)} ago): get a fresh token`,
    );
  if (typeof claims.nbf === 'number' && claims.nbf - toleranceS > now)
    return fail('token-expiry', `the token is not valid before ${isoTime(claims.nbf)}: check the clocks`);
  return ok('token-expiry', `expires at ${isoTime(claims.exp)} (in ${minutes(claims.exp - now)})`);
}

/** Scopes, roles and the tools the token may call; what is wrong with the roles claim when tools need roles. */
function accessOf(app: AppDefinition, claims: JWTPayload, rolesClaim: string | undefined) {
  const checks: DoctorCheck[] = [];
  let principal;
  try {
    principal = principalFromClaims(Object.freeze({ ...claims }), 'jwt');
  } catch (error) {
    return {
      checks: [fail('token-claims', (error as AuthError).description)],
      scopes: [],
      roles: [],
      tools: [] as string[],
    };
  }
  const caller = callerOf(principal, app.authorization, { transport: 'http', ...(rolesClaim ? { rolesClaim } : {}) });
  const guarded = app.tools.filter((tool) => (tool.access.roles?.length ?? 0) > 0);
  if (guarded.length > 0 && rolesClaim && readClaim(claims, roleClaimPath(rolesClaim)) === undefined) {
    checks.push(
      warn(
        'token-roles',
        `${guarded.length} tool(s) need a role but the token has no claim "${roleClaimPath(rolesClaim)}" (OAUTH_ROLES_CLAIM=${rolesClaim}). ${roleClaimHint(claims)}`,
      ),
    );
  } else if (guarded.length > 0 && rolesClaim) {
    checks.push(
      ok('token-roles', `roles ${list(rolesFromClaims(claims, rolesClaim))} from claim "${roleClaimPath(rolesClaim)}"`),
    );
  }
  const decisions = app.tools.map((tool) => ({ tool, decision: mayCall(tool, caller) }));
  const allowed = decisions.filter((d) => d.decision.allow).map((d) => d.tool.name);
  const denied = decisions.filter((d) => !d.decision.allow);
  const reasons = [...new Set(denied.map((d) => d.decision.reason))].slice(0, 3).join('; ');
  checks.push(
    allowed.length > 0
      ? ok(
          'token-tools',
          `may call ${allowed.length} of ${app.tools.length} tool(s): ${names(allowed)}${denied.length > 0 ? `; not ${denied.length} (${reasons})` : ''}`,
        )
      : warn(
          'token-tools',
          `may call none of the ${app.tools.length} tool(s) (${reasons || 'no tools'}): request the scopes the tools need, or grant the roles`,
        ),
  );
  return {
    checks,
    scopes: [...principal.scopes],
    roles: caller.roles,
    ...(principal.clientId ? { clientId: principal.clientId } : {}),
    tools: allowed,
  };
}

/** The real verifier's answer; its descriptions never hold the token. */
async function verdict(
  token: string,
  settings: OAuthSettings,
  options: TokenCheckOptions,
  prefix?: string,
): Promise<DoctorCheck> {
  try {
    const principal = await createTokenVerifier(settings, { timeoutMs: options.timeoutMs }).verify(token);
    return ok('token-accepted', `this server accepts the token (subject ${shown(principal.subject)})`);
  } catch (error) {
    const reason = error instanceof AuthError ? error.description : 'verification failed';
    return fail('token-accepted', `${prefix ? `${prefix}; ` : ''}this server refuses the token: ${reason}`);
  }
}

const cut = (value: string): string => shown(value).slice(1, -1);
/** At most five values, each cut short by `shown`: a token's claims are the sender's to choose. */
const list = (values: readonly string[]): string =>
  `[${values
    .slice(0, 5)
    .map((v) => shown(v))
    .join(', ')}${values.length > 5 ? `, ... (${values.length})` : ''}]`;
const names = (values: readonly string[]): string =>
  `${values.slice(0, 8).join(', ')}${values.length > 8 ? ', ...' : ''}`;
const isoTime = (seconds: number): string =>
  Number.isFinite(seconds) && Math.abs(seconds) < 8.64e12 ? new Date(seconds * 1000).toISOString() : String(seconds);

function minutes(seconds: number): string {
  if (seconds < 120) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
