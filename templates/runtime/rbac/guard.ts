import type { AuthorizationDefinition, ToolDefinition } from '../mcp/types.js';
import type { Policy, PolicyRequest } from './policy-types.js';
import type { Principal } from '../auth/principal.js';
import { AuthError } from '../auth/auth-error.js';
import { rolesFromClaims } from './roles.js';
import { checkScopes, expandScopes, satisfiesScopes } from './scopes.js';

/** An authenticated caller, as the guard sees it. */
export interface Caller {
  readonly principal: Principal;
  /** Granted scopes with the hierarchy applied; `all` over stdio, where OAuth does not apply. */
  readonly scopes: ReadonlySet<string> | 'all';
  readonly roles: readonly string[];
  readonly transport: 'http' | 'stdio';
  readonly remoteAddress?: string;
}

export type Decision =
  | { readonly allow: true; readonly reason: string }
  /** Step-up is possible: answer 403 `insufficient_scope` naming `scopes` (RFC 6750 §3.1). */
  | { readonly allow: false; readonly kind: 'scope'; readonly scopes: readonly string[]; readonly reason: string }
  /** No scope would help: answer 403 without a scope hint. */
  | { readonly allow: false; readonly kind: 'role' | 'policy'; readonly reason: string };

/**
 * Builds the caller from a verified principal: roles from the credential
 * itself (API keys) or from the token's roles claim (`rolesClaim`, e.g.
 * `realm_access.roles`), scopes expanded through the scope hierarchy.
 */
export function callerOf(
  principal: Principal,
  authorization: AuthorizationDefinition,
  options: { rolesClaim?: string; transport: 'http' | 'stdio'; remoteAddress?: string },
): Caller {
  const grants = grantsOf(principal, authorization, options);
  // The same caller for every request of a token from one address (the gate builds one per
  // request): frozen, so no request can change what another sees.
  const remoteAddress = options.remoteAddress || undefined;
  const last = grants.caller;
  if (last !== undefined && last.remoteAddress === remoteAddress) return last;
  const caller: { -readonly [K in keyof Caller]: Caller[K] } = {
    principal,
    scopes: grants.scopes,
    roles: grants.roles,
    transport: options.transport,
  };
  if (remoteAddress) caller.remoteAddress = remoteAddress;
  grants.caller = Object.freeze(caller);
  return grants.caller;
}

/** What a principal is granted: scopes through the hierarchy, roles from the credential and the claim. */
interface Grants {
  readonly scopes: ReadonlySet<string> | 'all';
  readonly roles: readonly string[];
  /** What they were derived with: another configuration derives them again. */
  readonly authorization: AuthorizationDefinition;
  readonly rolesClaim: string | undefined;
  readonly transport: 'http' | 'stdio';
  /** The caller last built from these grants (one per principal and address: see `callerOf`). */
  caller?: Caller;
  /** The scopes as the policy is handed them, sorted once (frozen, as `roles`). */
  policyScopes?: readonly string[];
}

/**
 * Grants per principal object: the verified-token cache hands out the same principal for every
 * request with the same token, so they are derived once per token, not once per request.
 * Principals are immutable (claims are frozen), so what was derived from one stays true.
 */
const grantsByPrincipal = new WeakMap<Principal, Grants>();

function grantsOf(
  principal: Principal,
  authorization: AuthorizationDefinition,
  options: { rolesClaim?: string; transport: 'http' | 'stdio' },
): Grants {
  const known = grantsByPrincipal.get(principal);
  if (
    known !== undefined &&
    known.authorization === authorization &&
    known.rolesClaim === options.rolesClaim &&
    known.transport === options.transport
  )
    return known;
  const claimRoles = options.rolesClaim ? rolesFromClaims(principal.claims, options.rolesClaim) : [];
  const grants: Grants = {
    scopes: options.transport === 'stdio' ? 'all' : expandScopes(principal.scopes, authorization.scopeImplies),
    // Frozen: shared by every request of the token, and handed to the user's policy.
    roles: Object.freeze([...new Set([...(principal.roles ?? []), ...claimRoles])].sort()),
    authorization,
    rolesClaim: options.rolesClaim,
    transport: options.transport,
  };
  grantsByPrincipal.set(principal, grants);
  return grants;
}

/** Scopes and roles only (no policy, no arguments): what `tools/list` filtering uses. */
export function mayCall(tool: ToolDefinition, caller: Caller): Decision {
  // The common case, an allowed call, is decided without allocating: a shared decision per reason.
  if (caller.scopes !== 'all' && !satisfiesScopes(tool.access, caller.scopes)) {
    const scopes = checkScopes(tool.access, caller.scopes);
    if (!scopes.ok) {
      return {
        allow: false,
        kind: 'scope',
        scopes: scopes.required,
        reason: `missing scope ${scopes.missing.join(' ') || '(unsatisfiable requirement)'}`,
      };
    }
  }
  const roles = tool.access.roles;
  if (roles && roles.length > 0 && !roles.some((r) => caller.roles.includes(r))) {
    return { allow: false, kind: 'role', reason: `requires one of the roles ${roles.join(', ')}` };
  }
  return roles && roles.length > 0 ? SCOPES_AND_ROLE_GRANTED : SCOPES_GRANTED;
}

const SCOPES_GRANTED: Decision = Object.freeze({ allow: true, reason: 'scopes granted' });
const SCOPES_AND_ROLE_GRANTED: Decision = Object.freeze({ allow: true, reason: 'scopes and role granted' });

/**
 * The full decision for one `tools/call` (DESIGN.md §5): scopes, then roles,
 * then the user's policy, which can only narrow. A policy that throws or
 * returns something else denies: fail closed.
 */
export async function authorizeCall(
  tool: ToolDefinition,
  caller: Caller,
  policy: Policy | undefined,
  args: Readonly<Record<string, unknown>>,
  now?: Date,
): Promise<Decision> {
  return decideCall(tool, caller, policy, args, now);
}

/**
 * {@link authorizeCall}, synchronous unless the policy answers with a promise: the generated
 * project always has a policy (src/policy.ts), usually a plain function, and the HTTP gate
 * decides every call, so a promise and a tick per call were a visible part of its cost.
 */
export function decideCall(
  tool: ToolDefinition,
  caller: Caller,
  policy: Policy | undefined,
  args: Readonly<Record<string, unknown>>,
  now: Date = new Date(),
): Decision | Promise<Decision> {
  const granted = mayCall(tool, caller);
  if (!granted.allow || policy === undefined) return granted;
  let verdict: unknown;
  try {
    verdict = policy(policyRequest(tool, caller, args, now));
  } catch {
    return POLICY_FAILED;
  }
  if (isThenable(verdict))
    return Promise.resolve(verdict).then(
      (settled) => judged(settled, granted),
      () => POLICY_FAILED,
    );
  return judged(verdict, granted);
}

/**
 * What the policy is asked, fields in their documented order. Built member by member (no spread
 * of conditional literals); the sorted scopes and the tool's description are made once per
 * caller's grants and per tool, frozen like `roles` and `claims`, since a policy runs on every call.
 */
function policyRequest(
  tool: ToolDefinition,
  caller: Caller,
  args: Readonly<Record<string, unknown>>,
  now: Date,
): PolicyRequest {
  // Assigned in the order the fields were always written (a policy may log the request as JSON).
  const request = { subject: caller.principal.subject } as { -readonly [K in keyof PolicyRequest]: PolicyRequest[K] };
  if (caller.principal.clientId) request.clientId = caller.principal.clientId;
  request.scopes = policyScopes(caller);
  request.roles = caller.roles;
  request.claims = caller.principal.claims;
  request.tool = policyTool(tool);
  request.arguments = args;
  if (caller.remoteAddress) request.remoteAddress = caller.remoteAddress;
  request.time = now;
  request.transport = caller.transport;
  return request;
}

function policyScopes(caller: Caller): readonly string[] {
  if (caller.scopes === 'all') return NO_SCOPES;
  const grants = grantsByPrincipal.get(caller.principal);
  // Only the grants this very scope set came from hold its sorted copy (another configuration derives others).
  if (grants === undefined || grants.scopes !== caller.scopes) return Object.freeze([...caller.scopes].sort());
  return (grants.policyScopes ??= Object.freeze([...caller.scopes].sort()));
}

const NO_SCOPES: readonly string[] = Object.freeze([]);
const policyTools = new WeakMap<ToolDefinition, PolicyRequest['tool']>();

function policyTool(tool: ToolDefinition): PolicyRequest['tool'] {
  let described = policyTools.get(tool);
  if (described === undefined) {
    described = Object.freeze({ name: tool.name, method: tool.http.method, path: tool.http.path, tags: tool.tags });
    policyTools.set(tool, described);
  }
  return described;
}

const POLICY_FAILED: Decision = { allow: false, kind: 'policy', reason: 'policy failed' };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** What a policy's verdict makes of a call the scopes and roles allowed. */
function judged(verdict: unknown, granted: Decision): Decision {
  if (verdict !== null && typeof verdict === 'object' && (verdict as { allow?: unknown }).allow === true)
    return granted;
  const reason = (verdict as { reason?: unknown } | null)?.reason;
  return {
    allow: false,
    kind: 'policy',
    reason: typeof reason === 'string' && reason !== '' ? `policy: ${reason}` : 'policy denied',
  };
}

/** One `tools/call` of a request, with the tool it runs. */
export interface ToolCall {
  readonly tool: ToolDefinition;
  readonly args: Readonly<Record<string, unknown>>;
}

export type CallsDecision =
  | { readonly allow: true }
  /** `error` is what the client is answered; `tool` and `reason` are what is audited. */
  | { readonly allow: false; readonly tool: string; readonly reason: string; readonly error: AuthError };

/**
 * Decides every call of one request (a 2025-03-26 batch may hold several)
 * before any runs: one denial refuses the whole request. Audits nothing:
 * denials are audited by the caller, allowed calls where they execute.
 */
export function authorizeCalls(
  calls: readonly ToolCall[],
  caller: Caller,
  policy: Policy | undefined,
): CallsDecision | Promise<CallsDecision> {
  for (let i = 0; i < calls.length; i++) {
    const { tool, args } = calls[i]!;
    const decision = decideCall(tool, caller, policy, args);
    // An asynchronous policy: this call and the rest are decided in order, as before.
    if (decision instanceof Promise)
      return decision.then((d) => denied(tool, d) ?? authorizeCalls(calls.slice(i + 1), caller, policy));
    const refusal = denied(tool, decision);
    if (refusal) return refusal;
  }
  return ALLOWED;
}

const ALLOWED: CallsDecision = { allow: true };

function denied(tool: ToolDefinition, decision: Decision): CallsDecision | undefined {
  return decision.allow
    ? undefined
    : { allow: false, tool: tool.name, reason: decision.reason, error: denialError(tool, decision) };
}

/**
 * A denial as the one `AuthError`: a scope denial can be stepped up
 * (RFC 6750 §3.1 `insufficient_scope`, MCP authorization 2025-11-25 "Scope
 * Challenge Handling"), a role or policy denial cannot (`access_denied`).
 */
function denialError(tool: ToolDefinition, decision: Exclude<Decision, { allow: true }>): AuthError {
  if (decision.kind === 'scope') {
    return new AuthError('insufficient_scope', `${tool.name} needs scope ${decision.scopes.join(' ')}`, {
      scopes: decision.scopes,
    });
  }
  return new AuthError('access_denied', `${tool.name}: ${decision.reason}`);
}
