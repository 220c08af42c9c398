import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import { decodeFragmentToken } from '../json-pointer.js';
import type { SpecKind } from './detect-version.js';
import { capDiagnostics } from './cap-diagnostics.js';
import { referenceSites } from './ref-positions.js';
import type { RefSite } from './ref-positions.js';

/**
 * Finds every `$ref` in a reference position that is not a local JSON pointer
 * into `document` that resolves (RFC 6901, with the URI-fragment
 * percent-decoding of RFC 6901 §6). `$ref`s inside data (examples, defaults,
 * `x-*`) are not references and are skipped (see `ref-positions.ts`).
 * Returns `REF_UNRESOLVED` errors, at most `limit` plus a summary.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6901#section-6
 * Does NOT resolve `$id`-relative references of JSON Schema 2020-12. `document` is plain
 * JSON (no shared objects), as the loader hands it over.
 */
export function findDanglingRefs(
  document: unknown,
  kind: SpecKind,
  file: string,
  hint = 'Fix the $ref or add the missing definition.',
  limit = 20,
): Diagnostic[] {
  return danglingRefsAt(document, referenceSites(document, kind), file, hint, limit);
}

/** `findDanglingRefs` for the reference `$ref`s of `document` already collected (`surveyRefs`), in order. */
export function danglingRefsAt(
  document: unknown,
  sites: readonly RefSite[],
  file: string,
  hint = 'Fix the $ref or add the missing definition.',
  limit = 20,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const site of sites) {
    if (site.inData) continue;
    const value = site.holder['$ref'];
    const problem = refProblem(document, value);
    if (problem === undefined) continue;
    const where = pointer(...site.tokens);
    found.push({
      code: 'REF_UNRESOLVED',
      severity: 'error',
      message: `${file} at ${where || '/'}: $ref ${JSON.stringify(value)} ${problem}.`,
      file,
      pointer: where,
      hint,
    });
  }
  return capDiagnostics(found, limit);
}

function refProblem(document: unknown, ref: unknown): string | undefined {
  if (typeof ref !== 'string') return 'is not a string';
  if (!ref.startsWith('#')) return 'is not a local reference after bundling';
  return resolvePointer(document, ref.slice(1)) === undefined ? 'points at nothing' : undefined;
}

/** The value at a JSON pointer taken from a URI fragment, or undefined. */
export function resolvePointer(document: unknown, fragment: string): unknown {
  if (fragment === '') return document;
  if (!fragment.startsWith('/')) return undefined;
  let node: unknown = document;
  for (const raw of fragment.slice(1).split('/')) {
    const token = decodeFragmentToken(raw);
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token))
      return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
