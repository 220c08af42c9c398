import { describe, expect, it } from 'vitest';
import { authorizeCall, authorizeCalls, callerOf, mayCall } from '../../../templates/runtime/rbac/guard.js';
import type { Principal } from '../../../templates/runtime/auth/principal.js';
import type { Policy } from '../../../templates/runtime/rbac/policy-types.js';
import type { AuthorizationDefinition, ToolDefinition } from '../../../templates/runtime/mcp/types.js';

const authorization: AuthorizationDefinition = {
  scopesSupported: ['pets:read', 'pets:write'],
  scopeImplies: { 'pets:write': ['pets:read'] },
  toolsList: 'filter',
};

function tool(name: string, scopes: string[][], roles?: string[]): ToolDefinition {
  return {
    name,
    description: name,
    inputSchema: { type: 'object' },
    annotations: {},
    http: { method: 'DELETE', path: '/pets/{id}', parameters: [] },
    security: [],
    access: { scopes, ...(roles ? { roles } : {}) },
    tags: ['pets'],
    source: '/paths/~1pets~1{id}/delete',
  };
}

function principal(scopes: string[], claims: Record<string, unknown> = {}): Principal {
  return { subject: 'alice', clientId: 'agent', scopes, claims, via: 'jwt' };
}

const http = (p: Principal) =>
  callerOf(p, authorization, { rolesClaim: 'roles', transport: 'http', remoteAddress: '10.1.2.3' });

describe('mayCall', () => {
  it('grants through the scope hierarchy', () => {
    expect(mayCall(tool('list', [['pets:read']]), http(principal(['pets:write']))).allow).toBe(true);
  });

  it('asks for the cheapest alternative when scopes are missing', () => {
    const decision = mayCall(tool('del', [['pets:write'], ['admin', 'pets:read']]), http(principal(['pets:read'])));
    expect(decision).toMatchObject({ allow: false, kind: 'scope', scopes: ['pets:write'] });
  });

  it('denies on roles without a scope hint', () => {
    const decision = mayCall(tool('del', [[]], ['admin']), http(principal([], { roles: ['user'] })));
    expect(decision).toMatchObject({ allow: false, kind: 'role' });
    expect(decision).not.toHaveProperty('scopes');
  });

  it('grants a role from the roles claim or from the credential itself', () => {
    expect(mayCall(tool('del', [[]], ['admin']), http(principal([], { roles: ['admin'] }))).allow).toBe(true);
    const keyed = callerOf({ subject: 'ci', scopes: [], roles: ['admin'], claims: {}, via: 'api-key' }, authorization, {
      transport: 'http',
    });
    expect(mayCall(tool('del', [[]], ['admin']), keyed).allow).toBe(true);
  });

  it('over stdio skips scopes (no OAuth there) but keeps roles', () => {
    const local = callerOf({ subject: 'stdio', scopes: [], roles: ['user'], claims: {}, via: 'stdio' }, authorization, {
      transport: 'stdio',
    });
    expect(mayCall(tool('a', [['pets:write']]), local).allow).toBe(true);
    expect(mayCall(tool('b', [['pets:write']], ['admin']), local).allow).toBe(false);
  });
});

describe('authorizeCall with the user policy', () => {
  const del = tool('deletePet', [['pets:write']]);
  const caller = http(principal(['pets:write']));

  it('passes the policy what it needs and honours a denial with its reason', async () => {
    let seen: unknown;
    const decision = await authorizeCall(
      del,
      caller,
      (request) => {
        seen = request;
        return { allow: false, reason: 'deletes only from the office network' };
      },
      { id: 7 },
      new Date('2026-11-23T10:00:00Z'),
    );
    expect(decision).toEqual({ allow: false, kind: 'policy', reason: 'policy: deletes only from the office network' });
    expect(seen).toMatchObject({
      subject: 'alice',
      clientId: 'agent',
      scopes: ['pets:read', 'pets:write'],
      tool: { name: 'deletePet', method: 'DELETE', path: '/pets/{id}', tags: ['pets'] },
      arguments: { id: 7 },
      remoteAddress: '10.1.2.3',
      transport: 'http',
    });
  });

  it('never asks the policy when scopes already deny', async () => {
    let asked = false;
    const decision = await authorizeCall(del, http(principal([])), () => ((asked = true), { allow: true }), {});
    expect(decision.allow).toBe(false);
    expect(asked).toBe(false);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['returns nothing', () => undefined as never],
    ['returns allow: "yes"', () => ({ allow: 'yes' }) as never],
  ])('fails closed when the policy %s', async (_name, policy) => {
    expect((await authorizeCall(del, caller, policy, {})).allow).toBe(false);
  });

  it('allows when the policy allows', async () => {
    expect((await authorizeCall(del, caller, async () => ({ allow: true }), {})).allow).toBe(true);
  });
});

describe('authorizeCalls: every call of a request, before any runs', () => {
  const read = tool('read', [['pets:read']]);
  const del = tool('del', [['pets:read']]);
  const caller = http(principal(['pets:read']));
  const calls = [
    { tool: read, args: {} },
    { tool: del, args: {} },
  ];

  it('decides at once, without a promise, when the policy answers with a plain value', () => {
    const decision = authorizeCalls(calls, caller, () => ({ allow: true }));
    expect(decision).not.toBeInstanceOf(Promise);
    expect(decision).toEqual({ allow: true });
    const denied = authorizeCalls(calls, caller, (request) =>
      request.tool.name === 'del' ? { allow: false, reason: 'no deletes' } : { allow: true },
    );
    expect(denied).toMatchObject({ allow: false, tool: 'del', reason: 'policy: no deletes' });
  });

  it('an asynchronous policy decides in order, and the first denial answers', async () => {
    const asked: string[] = [];
    const decision = authorizeCalls(calls, caller, async (request) => {
      asked.push(request.tool.name);
      return request.tool.name === 'read' ? { allow: false, reason: 'closed' } : { allow: true };
    });
    expect(decision).toBeInstanceOf(Promise);
    expect(await decision).toMatchObject({ allow: false, tool: 'read', reason: 'policy: closed' });
    expect(asked).toEqual(['read']);
    // A policy that turns asynchronous for the second call only is still waited for.
    const mixed = authorizeCalls(calls, caller, (request) =>
      request.tool.name === 'del' ? Promise.resolve({ allow: false, reason: 'later' }) : { allow: true },
    );
    expect(await mixed).toMatchObject({ allow: false, tool: 'del', reason: 'policy: later' });
  });

  it('fails closed when the policy throws or rejects', async () => {
    const thrown = authorizeCalls(calls, caller, () => {
      throw new Error('bug');
    });
    expect(thrown).toMatchObject({ allow: false, reason: 'policy failed' });
    const rejected = await authorizeCalls(calls, caller, () => Promise.reject(new Error('bug')));
    expect(rejected).toMatchObject({ allow: false, reason: 'policy failed' });
  });
});

describe('callerOf', () => {
  it('derives scopes and roles once per principal and configuration, and shares them frozen', () => {
    const p = principal(['pets:write'], { roles: ['vet'] });
    const first = http(p);
    const second = callerOf(p, authorization, { rolesClaim: 'roles', transport: 'http', remoteAddress: '10.9.9.9' });
    expect(second.scopes).toBe(first.scopes);
    expect(second.roles).toBe(first.roles);
    expect(second.remoteAddress).toBe('10.9.9.9');
    expect(Object.isFrozen(first.roles)).toBe(true);
    expect([...(first.scopes as Set<string>)].sort()).toEqual(['pets:read', 'pets:write']);
    // Another roles claim or another hierarchy is another derivation.
    expect(callerOf(p, authorization, { transport: 'http' }).roles).toEqual([]);
    const flat = { ...authorization, scopeImplies: {} };
    expect([...(callerOf(p, flat, { transport: 'http' }).scopes as Set<string>)]).toEqual(['pets:write']);
    expect(callerOf(p, authorization, { transport: 'stdio' }).scopes).toBe('all');
  });
});

describe('per-caller work done once (the request path of a token used again)', () => {
  it('one frozen caller per principal and address; another address or principal gets its own', () => {
    const alice = principal(['pets:write']);
    const bob = principal(['pets:write']);
    const first = http(alice);
    expect(http(alice)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const elsewhere = callerOf(alice, authorization, {
      rolesClaim: 'roles',
      transport: 'http',
      remoteAddress: '10.0.0.9',
    });
    expect(elsewhere).not.toBe(first);
    expect(elsewhere.remoteAddress).toBe('10.0.0.9');
    expect(first.remoteAddress).toBe('10.1.2.3');
    const other = http(bob);
    expect(other).not.toBe(first);
    expect(other.principal).toBe(bob);
    // No address: none is recorded, as before.
    expect(
      'remoteAddress' in callerOf(alice, authorization, { rolesClaim: 'roles', transport: 'http', remoteAddress: '' }),
    ).toBe(false);
  });

  it('hands the policy its fields in their documented order, scopes sorted and frozen, on every call', () => {
    const seen: Record<string, unknown>[] = [];
    const caller = http(principal(['pets:write', 'openid']));
    const del = tool('deletePet', [['pets:write']]);
    const at = new Date('2026-11-23T10:00:00Z');
    const policy: Policy = (request) => (seen.push({ ...request }), { allow: true });
    expect(authorizeCalls([{ tool: del, args: { id: 1 } }], caller, policy)).toEqual({ allow: true });
    void authorizeCall(del, caller, policy, { id: 2 }, at);
    expect(seen).toHaveLength(2);
    expect(Object.keys(seen[0]!)).toEqual([
      'subject',
      'clientId',
      'scopes',
      'roles',
      'claims',
      'tool',
      'arguments',
      'remoteAddress',
      'time',
      'transport',
    ]);
    expect(seen[1]).toEqual({
      subject: 'alice',
      clientId: 'agent',
      scopes: ['openid', 'pets:read', 'pets:write'],
      roles: [],
      claims: {},
      tool: { name: 'deletePet', method: 'DELETE', path: '/pets/{id}', tags: ['pets'] },
      arguments: { id: 2 },
      remoteAddress: '10.1.2.3',
      time: at,
      transport: 'http',
    });
    expect(Object.isFrozen(seen[0]!.scopes)).toBe(true);
    expect(Object.isFrozen(seen[0]!.tool)).toBe(true);
    // Each call its own request, arguments and time; the sorted scopes are the caller's, shared.
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[0]!.arguments).toEqual({ id: 1 });
    expect(seen[1]!.scopes).toBe(seen[0]!.scopes);
  });

  it('leaves out the client and the address when there are none, keeping the order of the rest', () => {
    let seen: Record<string, unknown> | undefined;
    const p: Principal = { subject: 'svc', scopes: ['pets:write'], claims: {}, via: 'jwt' };
    const caller = callerOf(p, authorization, { transport: 'http' });
    expect(
      authorizeCalls([{ tool: tool('deletePet', [['pets:write']]), args: {} }], caller, (request) => {
        seen = request as never;
        return { allow: true };
      }),
    ).toEqual({ allow: true });
    expect(Object.keys(seen!)).toEqual([
      'subject',
      'scopes',
      'roles',
      'claims',
      'tool',
      'arguments',
      'time',
      'transport',
    ]);
  });

  it('a policy handed a stdio caller sees no scopes (OAuth does not apply there)', () => {
    let seen: { scopes?: unknown } | undefined;
    const caller = callerOf(principal([]), authorization, { transport: 'stdio' });
    expect(
      authorizeCalls([{ tool: tool('deletePet', [['pets:write']]), args: {} }], caller, (request) => {
        seen = request;
        return { allow: true };
      }),
    ).toEqual({ allow: true });
    expect(seen!.scopes).toEqual([]);
  });
});
