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
  const resolve = pointerResolver(document);
  for (const site of sites) {
    if (site.inData) continue;
    const value = site.holder['$ref'];
    const problem = refProblem(resolve, value);
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

function refProblem(resolve: (fragment: string) => unknown, ref: unknown): string | undefined {
  if (typeof ref !== 'string') return 'is not a string';
  if (!ref.startsWith('#')) return 'is not a local reference after bundling';
  return resolve(ref.slice(1)) === undefined ? 'points at nothing' : undefined;
}

/**
 * `resolvePointer` on one document, each fragment resolved once: GitHub's spec has 10,139
 * reference `$ref`s but 1,764 distinct pointers (issue 8). Valid while the document's shape stays
 * as it is; changing a `$ref`'s string value (alias rewriting) keeps it valid for callers that,
 * like these, only ask whether a pointer leads somewhere and to what kind of node.
 */
export function pointerResolver(document: unknown): (fragment: string) => unknown {
  const known = new Map<string, unknown>();
  return (fragment) => {
    if (known.has(fragment)) return known.get(fragment);
    const node = resolvePointer(document, fragment);
    known.set(fragment, node);
    return node;
  };
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
