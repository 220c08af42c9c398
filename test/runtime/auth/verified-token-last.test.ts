import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../templates/runtime/auth/principal.js';

// The cache hashes through node:crypto's one-shot `hash`: counted here to see when a token is hashed.
const hashed = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    hash: (...args: Parameters<typeof crypto.hash>) => {
      hashed.count++;
      return crypto.hash(...args);
    },
  };
});
const { createVerifiedTokenCache } = await import('../../../templates/runtime/auth/verified-token-cache.js');

const principal = (subject: string): Principal => ({ subject, scopes: [], claims: {}, via: 'jwt' });

describe('the verified-token cache, token last recalled', () => {
  const clock = { ms: 1_000_000_000_000 };
  const cache = (options: { maxEntries?: number; maxAgeMs?: number } = {}) =>
    createVerifiedTokenCache({ ...options, now: () => clock.ms });
  const inSeconds = (s: number) => clock.ms / 1000 + s;
  beforeEach(() => {
    hashed.count = 0;
  });

  it('recalls the same token again without hashing it again', () => {
    const c = cache();
    const alice = principal('alice');
    c.set('token-a', alice, inSeconds(300));
    expect(c.get('token-a')).toBe(alice);
    const after = hashed.count;
    expect(c.get('token-a')).toBe(alice);
    expect(c.get('token-a')).toBe(alice);
    expect(hashed.count).toBe(after);
  });

  it('never answers another token with the last one, even one differing in its last character', () => {
    const c = cache();
    const alice = principal('alice');
    const bob = principal('bob');
    c.set('token-a1', alice, inSeconds(300));
    c.set('token-a2', bob, inSeconds(300));
    expect(c.get('token-a1')).toBe(alice);
    expect(c.get('token-a2')).toBe(bob);
    expect(c.get('token-a1')).toBe(alice);
    expect(c.get('token-a3')).toBeUndefined();
    expect(c.get('token-a')).toBeUndefined();
  });

  it('still checks the expiry of the last token on every recall (injected clock)', () => {
    const c = cache({ maxAgeMs: 600_000 });
    c.set('token-a', principal('alice'), inSeconds(10));
    expect(c.get('token-a')).toBeDefined();
    clock.ms += 9_999;
    expect(c.get('token-a')).toBeDefined();
    clock.ms += 1;
    expect(c.get('token-a')).toBeUndefined();
    // Forgotten with its entry: a later set of another token does not bring it back.
    c.set('token-b', principal('bob'), inSeconds(300));
    expect(c.get('token-a')).toBeUndefined();
  });

  it('forgets the last token when its entry is evicted (bounded size)', () => {
    const c = cache({ maxEntries: 1 });
    c.set('token-a', principal('alice'), inSeconds(300));
    expect(c.get('token-a')).toBeDefined();
    c.set('token-b', principal('bob'), inSeconds(300));
    expect(c.get('token-a')).toBeUndefined();
    expect(c.get('token-b')?.subject).toBe('bob');
  });

  it('answers with the principal of a token verified again, not the one recalled before', () => {
    const c = cache();
    c.set('token-a', principal('first'), inSeconds(300));
    expect(c.get('token-a')?.subject).toBe('first');
    c.set('token-a', principal('second'), inSeconds(300));
    expect(c.get('token-a')?.subject).toBe('second');
  });
});
