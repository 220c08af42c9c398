import type { SpecKind } from './detect-version.js';
import { rewriteAliasRefsAt } from './local-refs.js';
import { surveyRefs } from './ref-positions.js';
import type { RefSurvey } from './ref-positions.js';

/**
 * A single-file JSON spec (no `$ref` to another file), made ready in place the way the loader
 * hands it on: data `$ref`s parked, and the local `$ref`s that meet a `$ref`-only alias rewritten
 * as the bundler would (see local-refs.ts). Returns the survey, whose sites the dangling-reference
 * check and the unpark reuse. One function for the loader and the validation worker, which
 * rebuilds the document from the input bytes instead of receiving a copy of it (issue 8).
 */
export function prepareSingleJson(root: unknown, kind: SpecKind): RefSurvey {
  const survey = surveyRefs(root, kind, 'tree');
  if (!survey.external) rewriteAliasRefsAt(root, survey.refs);
  return survey;
}

/**
 * The document `prepareSingleJson` makes of the input bytes of a spec that `parseText` read as
 * JSON (a tree) and that has no external `$ref`: what the loader validates, rebuilt where it is
 * validated.
 */
export function singleJsonFromBytes(bytes: Uint8Array, kind: SpecKind): Record<string, unknown> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // As parse-text.ts reads JSON: a byte order mark is not part of the text.
  const root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
  prepareSingleJson(root, kind);
  return root;
}
