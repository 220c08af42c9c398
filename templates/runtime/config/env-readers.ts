import { ConfigError } from './config-error.js';
import {
  envEntries,
  envVar,
  type BooleanEnvName,
  type EnumEnvName,
  type EnvChoice,
  type EnvName,
  type IntegerEnvName,
  type ListEnvName,
} from './env-table.js';

/** The environment, only read. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Typed readers of the variables in `env-table.ts`: every read of the environment by name goes
 * through one of them, so bounds, choices and defaults live in the table alone. Values are trimmed
 * and an empty value counts as unset. They throw `ConfigError` naming the variable and the value
 * (a secret is never read through a typed reader that could echo it: `readText` does not throw).
 */
export function readText(env: Env, name: EnvName): string | undefined {
  const raw = Object.hasOwn(env, name) ? env[name]?.trim() : undefined;
  return raw === undefined || raw === '' ? undefined : raw;
}

/** A whole number within the table's bounds; `fallback` (else the table's default) when unset. */
export function readInteger(env: Env, name: IntegerEnvName, fallback?: number): number {
  const spec = envVar(name);
  if (spec.type !== 'integer') throw new Error(`unreachable: ${name} is not an integer variable`);
  const raw = readText(env, name);
  const value = raw === undefined ? (fallback ?? spec.default) : Number(raw);
  if (value === undefined) throw new Error(`unreachable: ${name} has no default`);
  // Digits only: `1e3`, `0x10`, `+5` or `-1` are refused rather than read as something unintended.
  if (
    (raw !== undefined && !/^[0-9]+$/.test(raw)) ||
    !Number.isSafeInteger(value) ||
    value < spec.min ||
    value > spec.max
  ) {
    throw new ConfigError(`${name} must be a whole number from ${spec.min} to ${spec.max} (got "${raw}").`);
  }
  return value;
}

/** `true`/`1` or `false`/`0`; unset is false. */
export function readFlag(env: Env, name: BooleanEnvName): boolean {
  const raw = readText(env, name);
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(`${name} must be true or false (got "${raw}").`);
}

/** One of the table's values; `fallback` (else the table's default) when unset. */
export function readChoice<N extends EnumEnvName>(env: Env, name: N, fallback?: EnvChoice<N>): EnvChoice<N> {
  const spec = envVar(name);
  if (spec.type !== 'enum') throw new Error(`unreachable: ${name} is not an enum variable`);
  const raw = readText(env, name);
  if (raw === undefined) return (fallback ?? spec.default) as EnvChoice<N>;
  if (spec.values.includes(raw)) return raw as EnvChoice<N>;
  throw new ConfigError(`${name} must be one of ${spec.values.join(', ')} (got "${raw}").`);
}

/** Comma-separated items, trimmed, empty ones dropped; `undefined` when there are none. */
export function readList(env: Env, name: ListEnvName): string[] | undefined {
  const items = readText(env, name)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

/** The values of the table's secrets set in `env` (e.g. OAUTH_INTROSPECTION_CLIENT_SECRET), for the log redactor. */
export function secretValues(env: Env): string[] {
  return envEntries().flatMap(([name, spec]) => {
    const value = spec.type === 'secret' ? readText(env, name) : undefined;
    return value === undefined ? [] : [value];
  });
}
