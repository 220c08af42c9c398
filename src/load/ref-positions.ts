import type { SpecKind } from './detect-version.js';

/**
 * Where a `$ref` sits decides whether it is a reference or data. OpenAPI 3.0
 * says example values are literal ("MUST NOT contain a $ref", §4.7.20 is about
 * the Example Object, whose `value` is embedded literal data); the same holds
 * for `default`, `enum`, `const` and extension (`x-*`) values. A `$ref` inside
 * those is data (okta-management has JSON-Schema documents, `$ref`s included,
 * as example payloads), so the loader neither follows nor checks it.
 *
 * @see https://spec.openapis.org/oas/v3.0.3.html#example-object
 */

/** Keys whose value is literal data in any object in a keyword position. */
const DATA_KEYS = new Set(['example', 'default', 'enum', 'const']);

/**
 * Keys whose object value maps user-chosen names to OpenAPI objects: a child
 * named `example` or `x-foo` under `properties` is a schema, not a keyword.
 */
const NAME_MAP_KEYS = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  'definitions',
  '$defs',
  'schemas',
  'parameters',
  'responses',
  'requestBodies',
  'securitySchemes',
  'securityDefinitions',
  'headers',
  'links',
  'callbacks',
  'pathItems',
  'encoding',
  'content',
  'variables',
  'webhooks',
  'mapping',
  'scopes',
]);

type Position = 'keyword' | 'names' | 'data' | 'exampleNames' | 'exampleObject';

export interface RefSite {
  /** Reference tokens of the object that holds the `$ref`. */
  readonly tokens: readonly string[];
  /** The object holding `$ref` (mutable: escaping renames the key). */
  readonly holder: Record<string, unknown>;
  /** The `$ref` value (usually a string). */
  readonly value: unknown;
  /** True when the `$ref` sits inside literal data (example, default, x-*...). */
  readonly inData: boolean;
}

/**
 * `tree`: plain JSON data (JSON.parse or a JSON copy), where no object appears twice;
 * `graph`: parsed YAML, where aliases share objects and may even form cycles.
 */
export type Shape = 'tree' | 'graph';

/**
 * Calls `visit` for every object with a `$ref` key in a reference position or
 * in data, depth first in document order. Objects seen twice (shared by
 * identity) are walked once; cycles are safe.
 */
export function forEachRef(
  root: unknown,
  kind: SpecKind,
  visit: (site: RefSite) => void,
  shape: Shape = 'graph',
  strings?: RefStrings,
): void {
  // Remembering every object costs an identity hash each (~1M on GitHub's spec): only for graphs.
  const seen = shape === 'graph' ? new Set<object>() : undefined;
  // One shared path, copied only for the objects that hold a `$ref` (GitHub's spec: ~1M nodes).
  const tokens: string[] = [];
  // `collecting`: outside the objects under a `mapping` key, which `strings` reads but does not enter.
  const walk = (node: unknown, position: Position, collecting: boolean): void => {
    if (node === null || typeof node !== 'object') return;
    if (seen) {
      if (seen.has(node)) return;
      seen.add(node);
    }
    if (Array.isArray(node)) {
      const child: Position = position === 'data' ? 'data' : 'keyword';
      for (let i = 0; i < node.length; i++) {
        tokens.push(String(i));
        walk(node[i], child, collecting);
        tokens.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    if ('$ref' in record) {
      // Before `visit`, which may park this very `$ref`.
      if (strings && collecting && isLocalRef(record['$ref'])) strings.holders.push(record);
      if (position !== 'names' && position !== 'exampleNames') {
        visit({ tokens: [...tokens], holder: record, value: record['$ref'], inData: position === 'data' });
      }
    }
    // `for...in`, not `Object.keys`: no array per object (~300k on GitHub's spec). The same keys in
    // the same order on parsed data, whose objects inherit nothing enumerable.
    for (const key in record) {
      const value = record[key];
      if (value === null || typeof value !== 'object') continue;
      const mapping = strings !== undefined && collecting && key === 'mapping' && !Array.isArray(value);
      if (mapping) strings.mappings.push(value as Record<string, unknown>);
      tokens.push(key);
      walk(value, childPosition(position, key, value, kind), collecting && !mapping);
      tokens.pop();
    }
  };
  walk(root, 'keyword', true);
}

/**
 * Where a walk found local `$ref` strings, in any position (data too), as the model's schema
 * registry collects them to name its `$defs` (schema-registry.ts `collectRefs`): every object
 * whose own `$ref` is a string starting with `#`, and every object under a `mapping` key (a
 * discriminator's), whose string values are read but whose insides are not walked. The objects
 * are kept, not the strings, so the values are read after parking, unparking and alias
 * rewriting have changed them.
 */
export interface RefStrings {
  readonly holders: Record<string, unknown>[];
  readonly mappings: Record<string, unknown>[];
}

/** The sorted, distinct local `$ref` strings `strings` holds now (see `RefStrings`). */
export function localRefStrings(strings: RefStrings): string[] {
  const refs = new Set<string>();
  for (const holder of strings.holders) {
    const value = holder['$ref'];
    if (isLocalRef(value)) refs.add(value);
  }
  for (const mapping of strings.mappings)
    for (const target of Object.values(mapping)) if (isLocalRef(target)) refs.add(target);
  return [...refs].sort();
}

function isLocalRef(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('#');
}

function childPosition(position: Position, key: string, value: unknown, kind: SpecKind): Position {
  switch (position) {
    case 'data':
      return 'data';
    case 'names':
      return 'keyword';
    case 'exampleNames':
      return 'exampleObject';
    case 'exampleObject':
      if (key === 'value') return 'data';
      break;
  }
  if (key.startsWith('x-') || DATA_KEYS.has(key)) return 'data';
  if (key === 'examples') {
    // JSON Schema `examples` is an array of values; Swagger 2.0 response
    // `examples` maps a media type to a value; OpenAPI 3 maps names to Example Objects.
    if (Array.isArray(value) || kind === 'swagger2') return 'data';
    return 'exampleNames';
  }
  if (NAME_MAP_KEYS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) return 'names';
  return 'keyword';
}

/** The key a data `$ref` is parked under while the bundler runs. */
export const PARKED_REF_KEY = '\u0000openapi-to-mcp:$ref';

/**
 * Renames every local `$ref` (`#...`) that sits in data to `PARKED_REF_KEY`, in
 * place, so the bundler neither follows nor fails on it. External data refs
 * are left alone: multi-file specs often pull example payloads from files.
 */
export function parkDataRefs(root: unknown, kind: SpecKind, shape: Shape = 'graph'): void {
  forEachRef(
    root,
    kind,
    (site) => {
      if (site.inData && typeof site.value === 'string' && site.value.startsWith('#')) {
        renameKey(site.holder, '$ref', PARKED_REF_KEY);
      }
    },
    shape,
  );
}

/** What one walk of `surveyRefs` found. */
export interface RefSurvey {
  /** The `$ref`s in reference positions, in document order. */
  readonly refs: readonly RefSite[];
  /** True when one of `refs` names another file or URL (the document needs the bundler). */
  readonly external: boolean;
  /** The objects whose data `$ref` was parked, for `unparkAt`. */
  readonly parked: readonly Record<string, unknown>[];
  /** The reference tokens of each of `parked`, in the same order: where another parse of the same text parks. */
  readonly parkedAt: readonly (readonly string[])[];
  /** Every local `$ref` string of the document, in any position: see `RefStrings`. */
  readonly strings: RefStrings;
}

/**
 * `parkDataRefs`, `hasExternalRefs` and the collection of every reference `$ref` in one walk
 * (issue 8: the loader walked GitHub's ~1M nodes five times). `refs` holds the `holder` objects
 * themselves, so it describes `root`, not a copy of it; read `holder.$ref` for the current value.
 */
export function surveyRefs(root: unknown, kind: SpecKind, shape: Shape = 'graph'): RefSurvey {
  const refs: RefSite[] = [];
  const parked: Record<string, unknown>[] = [];
  const parkedAt: (readonly string[])[] = [];
  const strings: RefStrings = { holders: [], mappings: [] };
  let external = false;
  forEachRef(
    root,
    kind,
    (site) => {
      if (!site.inData) {
        refs.push(site);
        if (!(typeof site.value === 'string' && site.value.startsWith('#'))) external = true;
      } else if (typeof site.value === 'string' && site.value.startsWith('#')) {
        parkHolder(site.holder);
        parked.push(site.holder);
        parkedAt.push(site.tokens);
      }
    },
    shape,
    strings,
  );
  return { refs, external, parked, parkedAt, strings };
}

/** Every `$ref` in a reference position of a plain JSON tree, in document order. */
export function referenceSites(root: unknown, kind: SpecKind): RefSite[] {
  const refs: RefSite[] = [];
  forEachRef(root, kind, (site) => !site.inData && refs.push(site), 'tree');
  return refs;
}

/** Parks the data `$ref` of one object (see `parkDataRefs`), in place. */
export function parkHolder(holder: Record<string, unknown>): void {
  renameKey(holder, '$ref', PARKED_REF_KEY);
}

/** Undoes `parkDataRefs` for the objects `surveyRefs` parked, in place (no walk). */
export function unparkAt(holders: readonly Record<string, unknown>[]): void {
  for (const holder of holders) if (PARKED_REF_KEY in holder) renameKey(holder, PARKED_REF_KEY, '$ref');
}

/** Undoes `parkDataRefs` anywhere in a plain JSON tree (no shared objects), in place. */
export function unparkDataRefs(root: unknown): void {
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const record = node as Record<string, unknown>;
    if (PARKED_REF_KEY in record) renameKey(record, PARKED_REF_KEY, '$ref');
    for (const key of Object.keys(record)) walk(record[key]);
  };
  walk(root);
}

/** Renames a key in place, keeping the key order (the output must be stable). */
function renameKey(record: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(record);
  for (const [key] of entries) delete record[key];
  for (const [key, value] of entries) record[key === from ? to : key] = value;
}
