import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Loads `.env` (when present) into `env` for `npm start` and `npm run dev`: variables already set
 * in the environment win, as with `node --env-file`, so a deployment's own settings are never
 * replaced by a file someone left in the image. Returns the names it set (never the values).
 */
export function loadDotEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): string[] {
  if (!existsSync(path)) return [];
  const parsed = parseEnv(readFileSync(path, 'utf8'));
  const set: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined || env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set.sort();
}
