import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JWK } from 'jose';

/**
 * What `npm run dev` leaves for `npm run token` and for its next start: the development
 * authorization server's issuer, the resource its tokens are for, the roles claim and its
 * private signing key (kept so tokens survive a restart). Under node_modules/.cache, which no
 * one commits; readable by the owner only.
 */
export interface DevState {
  readonly issuer: string;
  readonly resource: string;
  readonly rolesClaimPath: string;
  readonly signingKey: JWK;
}

export const DEV_STATE_FILE = 'node_modules/.cache/openapi-to-mcp/dev-auth.json';

export function readDevState(file = DEV_STATE_FILE): DevState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevState>;
    if (
      typeof state.issuer !== 'string' ||
      typeof state.resource !== 'string' ||
      typeof state.rolesClaimPath !== 'string'
    )
      return undefined;
    if (state.signingKey === null || typeof state.signingKey !== 'object') return undefined;
    return state as DevState;
  } catch {
    return undefined;
  }
}

export function writeDevState(state: DevState, file = DEV_STATE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}
