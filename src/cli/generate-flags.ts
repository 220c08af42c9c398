import { relative, resolve, sep } from 'node:path';
import type { ToolMode } from '../../templates/runtime/mcp/types.js';
import type { OptionFlags } from '../options.js';

/** The flags of `generate` that shape the output (the others choose what to do with it). */
export interface OutputFlags {
  readonly name?: string | undefined;
  readonly config?: string | undefined;
  readonly toolMode?: ToolMode | undefined;
}

/**
 * The command line as OptionFlags: only what the user said, nothing defaulted, so that
 * resolveOptions (options.ts) alone decides between a flag, the config file and a default.
 */
export function generateFlags(spec: string, flags: OutputFlags, cwd: string, outDir: string): OptionFlags {
  return {
    specLabel: specLabel(spec),
    specPath: specFromProject(spec, cwd, outDir),
    toolMode: flags.toolMode,
    packageName: flags.name || undefined,
    explicitName: flags.name ? true : undefined,
    configPath: flags.config ? relative(outDir, resolve(cwd, flags.config)).split(sep).join('/') : undefined,
  };
}

/**
 * Where the spec is as seen from the project (POSIX), for the lock file and the generated CI
 * workflow: a URL as given, nothing for stdin. Depends only on the two locations, not on the
 * working directory, so output stays the same from any folder.
 */
function specFromProject(spec: string, cwd: string, outDir: string): string | undefined {
  if (spec === '-') return undefined;
  if (/^https?:\/\//i.test(spec)) return publicUrl(spec);
  return relative(outDir, resolve(cwd, spec)).split(sep).join('/');
}

/**
 * A spec URL as it may be committed (lock file, README, CI workflow): without user info, query or
 * fragment, which is where people put access tokens (RFC 3986 §3.2.1 deprecates passwords in URLs).
 */
function publicUrl(spec: string): string {
  try {
    const url = new URL(spec);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    return '<url>';
  }
}

/** How the generated README names the spec: the file name only, so output does not depend on the working directory. */
function specLabel(spec: string): string {
  if (spec === '-') return '<stdin>';
  if (/^https?:\/\//i.test(spec)) return publicUrl(spec);
  return spec.split(/[\\/]/).pop() || spec;
}
