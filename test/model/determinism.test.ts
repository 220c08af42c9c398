import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { loadDocument, type LoadedDocument } from '../../src/load/index.js';
import { buildModel } from '../../src/model/build-model.js';
import type { McpModel } from '../../src/model/types.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shuffle } from './literal-document.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const FIXTURES = [
  'petstore-3.1.yaml',
  'tool-names.yaml',
  'circular-schemas.yaml',
  'security-requirements.yaml',
  'parameters-styles.yaml',
  'request-bodies.yaml',
  'webhooks-callbacks.yaml',
  'openapi-3.0-nullable.yaml',
];

/** The same document with the keys of `paths`, of each path item and of `components.schemas` in another order. */
function reordered(loaded: LoadedDocument, seed: number): LoadedDocument {
  const doc = structuredClone(loaded.document) as Record<string, Record<string, unknown>>;
  const paths = doc.paths ?? {};
  doc.paths = Object.fromEntries(
    shuffle(Object.entries(paths), seed).map(([k, item]) => [k, reorderKeys(item, seed + 1)]),
  );
  const components = doc.components;
  if (components && components.schemas) components.schemas = reorderKeys(components.schemas, seed + 2);
  return { ...loaded, document: doc };
}
function reorderKeys(value: unknown, seed: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(shuffle(Object.entries(value), seed));
}

const key = (d: Diagnostic) => JSON.stringify([d.code, d.pointer, d.message]);
/** Everything a generated project is made of, as text: key order counts, because files are written from it. */
const asText = (m: McpModel) => JSON.stringify({ server: m.server, tools: m.tools, defs: m.defs, schemes: m.schemes });

describe('determinism', () => {
  it.each(FIXTURES)('%s: buildModel twice gives deep-equal output', async (name) => {
    const loaded = await loadDocument(path.join(fixtures, name));
    const first = buildModel(loaded);
    const second = buildModel(loaded);
    expect(second).toEqual(first);
    expect(asText(second)).toBe(asText(first));
  });

  it.each(FIXTURES)(
    '%s: reordering paths, methods and schemas changes nothing but the order of diagnostics',
    async (name) => {
      const loaded = await loadDocument(path.join(fixtures, name));
      const want = buildModel(loaded);
      for (const seed of [1, 2, 3, 4, 5]) {
        const got = buildModel(reordered(loaded, seed));
        expect(got.tools.map((t) => t.name)).toEqual(want.tools.map((t) => t.name));
        expect(asText(got)).toBe(asText(want));
        expect(got.diagnostics.map(key).sort()).toEqual(want.diagnostics.map(key).sort());
      }
    },
  );

  it('tools come sorted by name', async () => {
    const built = buildModel(await loadDocument(path.join(fixtures, 'tool-names.yaml')));
    const names = built.tools.map((t) => t.name);
    expect(names).toEqual([...names].sort());
  });
});
