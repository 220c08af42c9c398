import { parseAsciiJson } from './ascii-json-text.js';
import type { SpecKind } from './detect-version.js';
import { rewriteAliasRefsAt } from './local-refs.js';
import { parkHolder, surveyRefs } from './ref-positions.js';
import type { RefSurvey } from './ref-positions.js';

/**
 * What `prepareSingleJson` changed in a document, by place: enough to make the same changes to
 * another parse of the same text without walking it (issue 8: the validation worker walked all
 * of GitHub's ~1M nodes again to find 321 parked `$ref`s and no alias).
 */
export interface JsonPreparation {
  /** The reference tokens of each object whose data `$ref` was parked, in the order they were. */
  readonly parked: readonly (readonly string[])[];
  /** The reference tokens of each object whose `$ref` was rewritten, with its new value. */
  readonly rewritten: readonly (readonly [readonly string[], string])[];
}

/**
 * A single-file JSON spec (no `$ref` to another file), made ready in place the way the loader
 * hands it on: data `$ref`s parked, and the local `$ref`s that meet a `$ref`-only alias rewritten
 * as the bundler would (see local-refs.ts). Returns the survey, whose sites the dangling-reference
 * check and the unpark reuse, and the changes made. One function for the loader and the
 * validation worker, which rebuilds the document from the input bytes instead of receiving a
 * copy of it (issue 8).
 */
export function prepareSingleJson(root: unknown, kind: SpecKind): RefSurvey & { preparation: JsonPreparation } {
  const survey = surveyRefs(root, kind, 'tree');
  const rewritten = survey.external ? [] : rewriteAliasRefsAt(root, survey.refs);
  return {
    ...survey,
    preparation: {
      parked: survey.parkedAt,
      rewritten: rewritten.map((site) => [site.tokens, site.holder['$ref'] as string] as const),
    },
  };
}

/**
 * The document `prepareSingleJson` makes of the input bytes of a spec that `parseText` read as
 * JSON (a tree) and that has no external `$ref`: what the loader validates, rebuilt where it is
 * validated. With the `preparation` the loader made of the same bytes, its changes are replayed
 * at their places instead of found by a walk.
 */
export function singleJsonFromBytes(
  bytes: Uint8Array,
  kind: SpecKind,
  preparation?: JsonPreparation,
): Record<string, unknown> {
  // As parse-text.ts reads JSON: without decoding where it can, and a byte order mark is not part of the text.
  const fast = parseAsciiJson(bytes);
  const root = (fast !== undefined ? fast.value : parseUtf8(bytes)) as Record<string, unknown>;
  if (!preparation || !replay(root, preparation)) prepareSingleJson(root, kind);
  return root;
}

function parseUtf8(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/**
 * Makes `preparation`'s changes to `root`, or none and returns false when one of its places is
 * not an object with a `$ref` there (not a parse of the same text): the caller then walks.
 */
function replay(root: Record<string, unknown>, preparation: JsonPreparation): boolean {
  const parked = preparation.parked.map((tokens) => holderAt(root, tokens));
  const rewritten = preparation.rewritten.map(([tokens]) => holderAt(root, tokens));
  if (parked.includes(undefined) || rewritten.includes(undefined)) return false;
  // In prepareSingleJson's order: every park (during its walk), then the rewrites.
  for (const holder of parked) parkHolder(holder!);
  preparation.rewritten.forEach(([, ref], i) => (rewritten[i]!['$ref'] = ref));
  return true;
}

/** The object at `tokens` (own properties only) when it holds a `$ref`; undefined otherwise. */
function holderAt(root: unknown, tokens: readonly string[]): Record<string, unknown> | undefined {
  let node = root;
  for (const token of tokens) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token))
      return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node !== null && typeof node === 'object' && !Array.isArray(node) && '$ref' in node ? node : undefined;
}
