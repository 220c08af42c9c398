import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/load/index.js';
import { collectRefs } from '../../src/model/schema-registry.js';
import { SPECS } from '../support/generated-project.js';

/**
 * `LoadedDocument.localRefs` (the load survey's walk) must name exactly the `$ref` strings the
 * schema registry's own walk (`collectRefs`) finds in the loaded document: the `$defs` names, and
 * so every generated file, depend on that set (issue 8: the registry no longer walks GitHub's ~1M
 * nodes a second time).
 */
const dir = mkdtempSync(join(tmpdir(), 'local-refs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(document: unknown) {
  const file = join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document));
  return loadDocument(file, { validate: false });
}

describe('localRefs: the load survey finds what collectRefs finds', () => {
  it('data $refs (parked while loading), aliases (rewritten), mapping targets, and nothing inside a mapping', async () => {
    const loaded = await load({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { $ref: '#/components/schemas/Alias' },
                    example: { $ref: '#/components/examples/NotFollowed', keep: 1 },
                  },
                },
              },
            },
          },
        },
      },
      components: {
        examples: { NotFollowed: { value: 1 } },
        schemas: {
          Alias: { $ref: '#/components/schemas/Real' },
          Real: {
            type: 'object',
            // A property named `$ref` and one named `mapping`, in a name position.
            properties: {
              $ref: { type: 'string', description: '#not-a-ref' },
              mapping: { type: 'object', description: '#/read/as/a/mapping/target' },
              pet: {
                oneOf: [{ $ref: '#/components/schemas/Cat' }],
                discriminator: {
                  propertyName: 'kind',
                  mapping: {
                    cat: '#/components/schemas/Cat',
                    dog: 'Dog',
                    nested: { $ref: '#/components/schemas/OnlyInMapping' },
                  },
                },
              },
            },
          },
          Cat: { type: 'object', 'x-data': { $ref: '#/in/an/extension' } },
          OnlyInMapping: { type: 'string' },
        },
      },
    });
    const survey = loaded.localRefs?.();
    expect(survey).toBeDefined();
    expect(survey).toEqual(collectRefs(loaded.document));
    // The alias was rewritten before the set was read; data and extension $refs count; a mapping's insides do not.
    expect(survey).not.toContain('#/components/schemas/Alias');
    expect(survey).toContain('#/in/an/extension');
    expect(survey).toContain('#/components/examples/NotFollowed');
    expect(survey).toContain('#/read/as/a/mapping/target');
    expect(survey).not.toContain('#/components/schemas/OnlyInMapping');
  });

  it('is not offered where the loader did not walk the document it hands on (YAML, Swagger 2.0)', async () => {
    const swagger = await load({
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: { responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/A' } } } } } },
      definitions: { A: { type: 'string' } },
    });
    expect(swagger.localRefs).toBeUndefined();
    const yaml = join(dir, 'spec.yaml');
    writeFileSync(yaml, 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n');
    expect((await loadDocument(yaml, { validate: false })).localRefs).toBeUndefined();
  });

  const specs = readdirSync(SPECS).filter((name) => name.endsWith('.json'));
  it.each(specs)('%s: the same set as collectRefs', async (name) => {
    const loaded = await loadDocument(join(SPECS, name), { validate: false }).catch(() => undefined);
    if (loaded?.localRefs === undefined) return; // fatal (dangling $refs) or not walked (Swagger 2.0)
    expect(loaded.localRefs()).toEqual(collectRefs(loaded.document));
  });
});
