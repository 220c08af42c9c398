import { pointer } from '../diagnostics.js';
import { fragmentTokens } from '../json-pointer.js';
import { pointerResolver, resolvePointer } from './check-refs.js';
import type { SpecKind } from './detect-version.js';
import { forEachRef, referenceSites } from './ref-positions.js';
import type { RefSite, Shape } from './ref-positions.js';

/**
 * True when some `$ref` in a reference position names another file or URL, so the document
 * needs the bundler. A single-file spec does not: bundling it only cost time, and above ~5k
 * operations json-schema-ref-parser's inventory scan made it quadratic (issue 8).
 */
export function hasExternalRefs(root: unknown, kind: SpecKind, shape: Shape = 'graph'): boolean {
  let external = false;
  forEachRef(
    root,
    kind,
    (site) => {
      if (!site.inData && !(typeof site.value === 'string' && site.value.startsWith('#'))) external = true;
    },
    shape,
  );
  return external;
}

/**
 * Rewrites local `$ref`s the way `SwaggerParser.bundle` (json-schema-ref-parser) leaves them, so a
 * single file gives the same document without the bundler: a pointer that meets a `$ref`-only
 * alias, on the way or at its end, is moved to where the alias leads
 * (`#/components/schemas/JobResponse` -> `#/components/schemas/JobCompact` when `JobResponse`
 * is `{ $ref: '#/components/schemas/JobCompact' }`). A `$ref` with sibling keys extends its
 * target rather than aliasing it and is not followed. In place; `$ref`s that resolve to nothing
 * are left for `findDanglingRefs`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6901
 */
export function rewriteAliasRefs(document: unknown, kind: SpecKind): void {
  // `document` is plain JSON (a tree).
  rewriteAliasRefsAt(document, referenceSites(document, kind));
}

/**
 * `rewriteAliasRefs` for the reference `$ref`s of `document` already collected (`surveyRefs`), in
 * order. Returns the sites it rewrote (their `holder.$ref` is the new pointer).
 */
export function rewriteAliasRefsAt(document: unknown, sites: readonly RefSite[]): RefSite[] {
  const rewrittenSites: RefSite[] = [];
  // Rewriting changes `$ref` strings only, never which objects are where: a pointer's target
  // object (the only answer looked at below) stays the same.
  const resolve = pointerResolver(document);
  for (const site of sites) {
    const ref = site.holder['$ref'];
    if (site.inData || typeof ref !== 'string' || !ref.startsWith('#')) continue;
    // The common case: the pointer resolves as written to something that is not an alias.
    const literal = resolve(ref.slice(1));
    if (literal !== undefined && aliasOf(literal) === undefined) continue;
    const target = reach(document, parse(ref.slice(1)), pointer(...site.tokens), 0);
    if (target === undefined) continue;
    const rewritten = `#${pointer(...target)}`;
    if (rewritten !== ref && resolve(rewritten.slice(1)) !== undefined) {
      site.holder['$ref'] = rewritten;
      rewrittenSites.push(site);
    }
  }
  return rewrittenSites;
}

/** An object whose only key is a local `$ref`: an alias the bundler follows. */
function aliasOf(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  const ref = (node as Record<string, unknown>)['$ref'];
  return keys.length === 1 && typeof ref === 'string' && ref.startsWith('#') ? ref.slice(1) : undefined;
}

/**
 * The canonical tokens of a pointer: aliases met before each token and at the end are followed
 * (not one that leads back to `from`, the referring place). Undefined when nothing is there.
 */
function reach(document: unknown, tokens: readonly string[], from: string, depth: number): string[] | undefined {
  if (depth > 32) return undefined;
  let path: string[] = [];
  let node: unknown = document;
  const follow = (): boolean => {
    for (let hops = 0; ; hops++) {
      const alias = aliasOf(node);
      if (alias === undefined) return true;
      const here = pointer(...path);
      if (alias === here || alias === from || hops > 32) return true;
      const next = reach(document, parse(alias), here, depth + 1);
      if (next === undefined) return false;
      path = next;
      node = resolvePointer(document, pointer(...next));
    }
  };
  for (const token of tokens) {
    if (!follow()) return undefined;
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token))
      return undefined;
    node = (node as Record<string, unknown>)[token];
    path.push(token);
  }
  return follow() ? path : undefined;
}

function parse(fragment: string): string[] {
  return fragmentTokens(fragment);
}
