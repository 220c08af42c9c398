import { createHash } from 'node:crypto';
import type { ToolMode } from '../templates/runtime/mcp/types.js';
import type { GeneratorConfig } from './config/types.js';

/** Every option resolved once, defaults filled, frozen (STYLE.md §10). */
export interface ResolvedOptions {
  /** The spec as the user named it, recorded in the generated README. */
  readonly specLabel: string;
  /** npm package name of the generated project. */
  readonly packageName: string;
  /** Generated tests call at most this many tools against the stub upstream. */
  readonly testedTools: number;
  /** `static`: tools/list is the catalogue; `dynamic`: three meta-tools over it (`--tool-mode`, run-time MCP_TOOL_MODE). */
  readonly toolMode: ToolMode;
  /**
   * Where the spec is, seen from the project folder (POSIX, e.g. `../openapi.yaml`), or its
   * http(s) URL; absent for stdin. The generated CI workflow runs `--check` with it.
   */
  readonly specPath?: string;
  /**
   * SHA-256 of the canonical JSON of the configuration file, once one exists (DESIGN.md §1):
   * set here so that a changed config makes the lock file's `optionsHash`, and so `--check`, stale.
   */
  readonly configHash?: string;
  /**
   * A config named with `--config` (not the one found beside the spec), seen from the project
   * folder: regenerating (README, CI `--check`) must name it too.
   */
  readonly configPath?: string;
  /** `--name` was given: regenerating must repeat it. */
  readonly explicitName?: boolean;
  /**
   * `--tool-mode` overrides a different `toolMode` in the config file: regenerating (CI `--check`)
   * must repeat it, or the config file's mode would win there. Derived, never set by a caller.
   */
  readonly explicitToolMode?: boolean;
  /**
   * The project folder seen from the root of the repository its CI runs from (POSIX, relative,
   * e.g. `servers/pets`; `--ci-root` or config `ci.root`); absent when the project is the root.
   * The CI workflow then runs in that folder and only for changes that concern it.
   */
  readonly ciProject?: string;
  /** `ciProject` came from `--ci-root` (not the config): regenerating must repeat the flag. */
  readonly explicitCiRoot?: boolean;
}

/**
 * What the caller sets: the CLI's flags, or the options a library caller passes. A key that is
 * absent or `undefined` is not set, so it never hides the config file or the default.
 * Derived options are not settable: `configHash` is always the hash of the configuration
 * actually used, `explicitToolMode` follows from the flag and the config file.
 */
export type OptionFlags = {
  readonly [K in Exclude<keyof ResolvedOptions, DerivedOption>]?: ResolvedOptions[K] | undefined;
};

/** Options that follow from the others; a caller cannot set them (a JavaScript caller that tries is ignored). */
const DERIVED = ['configHash', 'explicitToolMode'] as const;
type DerivedOption = (typeof DERIVED)[number];

/** Where a resolved value came from, for diagnostics and `inspect`. */
export type OptionOrigin = 'flag' | 'config' | 'default';

export type OptionOrigins = Readonly<Partial<Record<keyof ResolvedOptions, OptionOrigin>>>;

export interface OptionSources {
  readonly flags: OptionFlags;
  /** The validated configuration file; `{}` when there is none. */
  readonly config: GeneratorConfig;
  /** The defaults that depend on the document: how it was named when loaded, and its server name. */
  readonly defaults: { readonly specLabel: string; readonly packageName: string };
}

export interface OptionResolution {
  readonly options: ResolvedOptions;
  /** One entry per option that has a value. Kept apart from `options`, so it is not part of `optionsHash`. */
  readonly origins: OptionOrigins;
}

/** Fixed defaults; `specLabel` and `packageName` come from the document (OptionSources.defaults). */
export const OPTION_DEFAULTS = Object.freeze({ testedTools: 8, toolMode: 'static' });

type Rule<K extends keyof ResolvedOptions> = {
  readonly config?: (config: GeneratorConfig, flags: OptionFlags) => ResolvedOptions[K] | undefined;
  readonly default?: (defaults: OptionSources['defaults']) => ResolvedOptions[K] | undefined;
};

/**
 * The one table of precedence, per option: flag, then config file, then default. Every option
 * of ResolvedOptions has a row (the mapped type makes a new option without one a type error).
 */
const RULES: { readonly [K in keyof ResolvedOptions]-?: Rule<K> } = {
  specLabel: { default: (d) => d.specLabel },
  packageName: { default: (d) => d.packageName },
  testedTools: { default: () => OPTION_DEFAULTS.testedTools },
  toolMode: { config: (c) => c.toolMode, default: () => OPTION_DEFAULTS.toolMode },
  specPath: {},
  // The lock's options hash covers the configuration too: same configuration, same hash.
  configHash: { config: (c) => (Object.keys(c).length > 0 ? canonicalHash(c) : undefined) },
  configPath: {},
  explicitName: {},
  // Worked out by the CLI from `--ci-root` or the config file's `ci.root` (relative to that file).
  ciProject: {},
  explicitCiRoot: {},
  explicitToolMode: {
    config: (c, f) => (f.toolMode !== undefined && c.toolMode !== undefined && f.toolMode !== c.toolMode) || undefined,
  },
};

/**
 * Flags > config file > defaults, for the CLI and the library alike. Returns a complete,
 * frozen ResolvedOptions (STYLE.md §10) and where each value came from.
 */
export function resolveOptions(sources: OptionSources): OptionResolution {
  const options: Record<string, unknown> = {};
  const origins: Partial<Record<keyof ResolvedOptions, OptionOrigin>> = {};
  for (const key of Object.keys(RULES) as (keyof ResolvedOptions)[]) {
    const rule = RULES[key] as Rule<typeof key>;
    const flag = isDerived(key) ? undefined : sources.flags[key];
    const candidates: [OptionOrigin, unknown][] = [
      ['flag', flag],
      ['config', rule.config?.(sources.config, sources.flags)],
      ['default', rule.default?.(sources.defaults)],
    ];
    const found = candidates.find(([, value]) => value !== undefined);
    if (!found) continue;
    options[key] = found[1];
    origins[key] = found[0];
  }
  return { options: Object.freeze(options) as unknown as ResolvedOptions, origins: Object.freeze(origins) };
}

function isDerived(key: keyof ResolvedOptions): key is DerivedOption {
  return (DERIVED as readonly string[]).includes(key);
}

/**
 * SHA-256 of every option, as canonical JSON (keys sorted at every level, `undefined` left out):
 * all of ResolvedOptions shapes the output, so any option added later is covered without a change here.
 */
export function optionsHash(options: ResolvedOptions): string {
  return canonicalHash(options);
}

/** SHA-256 (hex) of a value's canonical JSON: the same value hashes the same whatever its key order. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** JSON with keys sorted at every level and `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
