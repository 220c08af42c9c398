import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Models whose artifacts belong to a grant and go when the grant is revoked. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * The authorization server's state (clients, grants, sessions, codes, tokens) in memory, outliving
 * any one `Provider` instance so keys can rotate and the server can restart without forgetting
 * registered clients. Our own instead of oidc-provider's built-in one, which announces itself
 * with a warning on every start.
 *
 * `forgetRegisteredScope`: the MCP SDK registers a client (RFC 7591 §2 `scope`) with the scope
 * of the first challenge; oidc-provider then refuses any other scope for that client with
 * `invalid_scope`, so a later step-up (MCP 2025-11-25 "Scope Challenge Handling") could never
 * succeed. Real servers differ here; the development server (and the test harness) leave the
 * client unrestricted.
 */
export function createMemoryStore(options: { forgetRegisteredScope: boolean }): (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const grantMembers = new Map<string, Set<string>>();
  const sessionByUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();

  return (model) => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const stored = model === 'Client' && options.forgetRegisteredScope ? withoutScope(payload) : payload;
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
        entries.set(key(id), { payload: stored, expiresAt });
        if (model === 'Session' && typeof payload.uid === 'string') sessionByUid.set(payload.uid, id);
        if (typeof payload.userCode === 'string') byUserCode.set(payload.userCode, id);
        if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
          const members = grantMembers.get(payload.grantId) ?? new Set();
          members.add(key(id));
          grantMembers.set(payload.grantId, members);
        }
      },
      async find(id) {
        return live(key(id))?.payload;
      },
      async findByUid(uid) {
        const id = sessionByUid.get(uid);
        return id === undefined ? undefined : live(key(id))?.payload;
      },
      async findByUserCode(userCode) {
        const id = byUserCode.get(userCode);
        return id === undefined ? undefined : live(key(id))?.payload;
      },
      async consume(id) {
        const entry = live(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const member of grantMembers.get(grantId) ?? []) entries.delete(member);
        grantMembers.delete(grantId);
      },
    };
  };
}

function withoutScope(payload: AdapterPayload): AdapterPayload {
  const { scope: _scope, ...rest } = payload;
  return rest;
}
