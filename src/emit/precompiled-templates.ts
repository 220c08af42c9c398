import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

/**
 * Written by `npm run build` (scripts/preformat-templates.mjs): every scaffold template compiled by
 * `Handlebars.precompile`, keyed by `templateKey` of its source. Generating a project then runs
 * them on handlebars' runtime: no template compiler to load (handlebars and source-map), no
 * compiling (~70 ms for the 23 templates, issue 8).
 */
export const PRECOMPILED_FILE = join(PACKAGE_ROOT, 'dist', 'precompiled-templates.cjs');

/** The one way templates are compiled, at build time or not: the same functions either way. */
export const COMPILE_OPTIONS = { strict: false, noEscape: true } as const;

/** The key of a template's source: an edited template never meets the compilation of its old text. */
export function templateKey(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

let table: Readonly<Record<string, object>> | undefined;

/**
 * The compiled form of `source` as built into this package, or undefined (no build output, such
 * as the sources under a test runner, or a template edited since): a miss only means it is compiled.
 */
export function precompiledSpec(source: string): object | undefined {
  table ??= readTable();
  return Object.prototype.hasOwnProperty.call(table, templateKey(source)) ? table[templateKey(source)] : undefined;
}

function readTable(): Readonly<Record<string, object>> {
  try {
    const raw: unknown = createRequire(import.meta.url)(PRECOMPILED_FILE);
    return raw !== null && typeof raw === 'object' ? (raw as Record<string, object>) : {};
  } catch {
    return {};
  }
}
