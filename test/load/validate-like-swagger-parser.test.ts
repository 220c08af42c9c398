import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { dereferenceIgnoringCycles, UnsupportedDereference } from '../../src/load/dereference-ignoring-cycles.js';
import type { SpecKind } from '../../src/load/detect-version.js';
import { prebuiltSchemaValidator } from '../../src/load/schema-validators.js';
import { prepareSingleJson } from '../../src/load/single-json-document.js';
import { validateOwnedDocument } from '../../src/load/validate-document.js';

const SPECS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/specs');

type Doc = Record<string, unknown>;

/** Every single-file spec of fixtures/specs, as the loader hands it to validation. */
const BASES: readonly { name: string; kind: SpecKind; text: string }[] = readdirSync(SPECS)
  .filter((name) => /\.(json|ya?ml)$/.test(name))
  .map((name) => {
    const raw = readFileSync(path.join(SPECS, name), 'utf8');
    const doc = (name.endsWith('.json') ? JSON.parse(raw) : parseYaml(raw)) as Doc;
    const kind: SpecKind = 'swagger' in doc ? 'swagger2' : 'openapi3';
    prepareSingleJson(doc, kind);
    return { name, kind, text: JSON.stringify(doc) };
  });

function schemasOf(doc: Doc): { table: Record<string, unknown>; prefix: string } {
  if ('swagger' in doc)
    return { table: (doc['definitions'] ??= {}) as Record<string, unknown>, prefix: '#/definitions/' };
  const components = (doc['components'] ??= {}) as Doc;
  return { table: (components['schemas'] ??= {}) as Record<string, unknown>, prefix: '#/components/schemas/' };
}

function operations(doc: Doc): Doc[] {
  const out: Doc[] = [];
  for (const item of Object.values((doc['paths'] ?? {}) as Record<string, Doc>))
    for (const [method, op] of Object.entries(item))
      if (/^(get|put|post|delete|patch|options|head)$/.test(method) && op && typeof op === 'object')
        out.push(op as Doc);
  return out;
}

function firstRef(node: unknown): Doc | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (typeof (node as Doc)['$ref'] === 'string') return node as Doc;
  for (const value of Object.values(node)) {
    const found = firstRef(value);
    if (found) return found;
  }
  return undefined;
}

/** Ways to break a document: schema errors at shared, circular and extended `$ref` targets, spec-check errors. */
const MUTATIONS: Record<string, (doc: Doc) => void> = {
  unchanged: () => {},
  'shared schemas break': (doc) => {
    for (const schema of Object.values(schemasOf(doc).table).slice(0, 3)) (schema as Doc)['type'] = 7;
  },
  'a $ref with a broken sibling': (doc) => {
    const ref = firstRef(doc['paths']);
    if (ref) ref['description'] = 5;
  },
  'a broken cycle used by an operation': (doc) => {
    const { table, prefix } = schemasOf(doc);
    table['Loop'] = { type: 'object', minLength: 'x', properties: { self: { $ref: `${prefix}Loop` } } };
    const op = operations(doc)[0];
    if (op) op['parameters'] = [{ name: 'loop', in: 'query', schema: { $ref: `${prefix}Loop` } }];
  },
  'a duplicate operationId': (doc) => {
    const [a, b] = operations(doc);
    if (a && b) b['operationId'] = a['operationId'] = 'same';
  },
  'an operation without responses': (doc) => {
    const op = operations(doc)[0];
    if (op) op['responses'] = {};
  },
};

/** swagger-parser's own validate (no rebuild given) against the fast dereference (a rebuild given). */
async function both(text: string, kind: SpecKind) {
  const fresh = () => JSON.parse(text) as Doc;
  const theirs = await validateOwnedDocument(fresh(), kind, 'spec.json');
  const ours = await validateOwnedDocument(fresh(), kind, 'spec.json', 20, fresh);
  return { theirs, ours };
}

describe('validation with the fast dereference', () => {
  afterEach(() => vi.restoreAllMocks());

  const cases = BASES.flatMap((base) => Object.keys(MUTATIONS).map((mutation) => [base.name, mutation] as const));
  it.each(cases)('%s, %s: the same SPEC_INVALID warnings as SwaggerParser.validate', async (name, mutation) => {
    const base = BASES.find((b) => b.name === name)!;
    const doc = JSON.parse(base.text) as Doc;
    MUTATIONS[mutation]!(doc);
    const { theirs, ours } = await both(JSON.stringify(doc), base.kind);
    expect(ours).toEqual(theirs);
  });

  it('finds the problems the mutations make (the comparison is not between two empty lists)', async () => {
    let warned = 0;
    for (const base of BASES) {
      const doc = JSON.parse(base.text) as Doc;
      MUTATIONS['shared schemas break']!(doc);
      MUTATIONS['a duplicate operationId']!(doc);
      if ((await both(JSON.stringify(doc), base.kind)).ours.length > 0) warned++;
    }
    expect(warned).toBeGreaterThan(BASES.length / 2);
  });

  it('does not run swagger-parser’s validate (its dereference) where the fast one applies', async () => {
    const validate = vi.spyOn(SwaggerParser.prototype, 'validate');
    const base = BASES.find((b) => b.name === 'oai-petstore-expanded.yaml')!;
    const fresh = () => JSON.parse(base.text) as Doc;
    expect(await validateOwnedDocument(fresh(), base.kind, 'spec.json', 20, fresh)).toEqual([]);
    expect(validate).not.toHaveBeenCalled();
  });

  it('hands a document with a $id to swagger-parser, rebuilt', async () => {
    const validate = vi.spyOn(SwaggerParser.prototype, 'validate');
    const doc = JSON.parse(BASES.find((b) => b.name === 'oai-petstore-expanded.yaml')!.text) as Doc;
    schemasOf(doc).table['Identified'] = { $id: 'https://example.com/x', type: 7 };
    const { theirs, ours } = await both(JSON.stringify(doc), 'openapi3');
    expect(ours).toEqual(theirs);
    expect(ours.length).toBeGreaterThan(0);
    expect(validate).toHaveBeenCalledTimes(2);
  });
});

/** swagger-parser's own validateSchema, from its install: what the prebuilt validators must match. */
const theirs = createRequire(createRequire(import.meta.url).resolve('@apidevtools/swagger-parser'))(
  './validators/schema.js',
) as (api: unknown) => void;

/** What a validator throws (message and details), or undefined when it accepts. */
const thrown = (validate: (api: Doc) => void, api: Doc) => {
  try {
    validate(api);
    return undefined;
  } catch (error) {
    return { message: (error as Error).message, details: (error as { details?: unknown }).details };
  }
};

describe('the schema validators compiled by the build', () => {
  it.each([
    ['2.0', { swagger: '2.0', info: { title: 't' }, paths: { '/a': { get: { responses: {} } } }, definitions: 7 }],
    ['3.0', { openapi: '3.0.3', info: { title: 't', version: 1 }, paths: { '/a': { get: { responses: {} } } } }],
    ['3.1', { openapi: '3.1.0', info: { version: '1' }, paths: { '/a': { get: { parameters: [{ in: 'x' }] } } } }],
    ['3.0, valid', { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }],
  ])('%s: the errors swagger-parser’s validateSchema throws', (version, api) => {
    const validate = prebuiltSchemaValidator();
    // `npm test` builds first (dist/schema-validators/); without them generation compiles as before.
    expect(validate).toBeDefined();
    const ours = thrown(validate!, api);
    expect(ours).toEqual(thrown(theirs, structuredClone(api) as Doc));
    expect(ours === undefined).toBe(version.endsWith('valid'));
  });
});

describe('the compiled validators on a dereferenced document (targets shared)', () => {
  /** A 3.0 or 2.0 document whose operations all use `shared` (one object) as a response schema. */
  const sharing = (version: '2.0' | '3.0', shared: Doc, operations: number): Doc => {
    const paths: Record<string, Doc> = {};
    for (let i = 0; i < operations; i++) {
      const response =
        version === '2.0'
          ? { description: 'ok', schema: shared }
          : { description: 'ok', content: { 'application/json': { schema: shared } } };
      paths[`/p${i}`] = { get: { responses: { 200: response } } };
    }
    return version === '2.0'
      ? { swagger: '2.0', info: { title: 't', version: '1' }, paths }
      : { openapi: '3.0.3', info: { title: 't', version: '1' }, paths };
  };
  const schema = (): Doc => ({
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'integer' } } },
  });

  it.each(['2.0', '3.0'] as const)('%s: a shared valid schema is walked once, not once per use', (version) => {
    let reads = 0;
    const counted = new Proxy(schema(), {
      get: (target, key, receiver) => {
        reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(thrown(prebuiltSchemaValidator()!, sharing(version, counted, 1))).toBeUndefined();
    const once = reads;
    reads = 0;
    expect(thrown(prebuiltSchemaValidator()!, sharing(version, counted, 50))).toBeUndefined();
    // Each use still tries the alternatives it fails (a `$ref`?, checked anew: failures are not
    // remembered), but the schema is walked once: checked at every use, that is 50 times `once`.
    expect(reads).toBeLessThan(once * 15);
    // Remembered for one validation only: the next call looks again.
    reads = 0;
    expect(thrown(prebuiltSchemaValidator()!, sharing(version, counted, 1))).toBeUndefined();
    expect(reads).toBe(once);
  });

  it.each(['2.0', '3.0'] as const)(
    '%s: a shared invalid schema is reported at every use, as swagger-parser reports it',
    (version) => {
      const broken = { ...schema(), properties: { a: { type: 7 }, b: { items: { minLength: 'x' } } } };
      const api = sharing(version, broken, 3);
      const ours = thrown(prebuiltSchemaValidator()!, api);
      expect(ours).toEqual(thrown(theirs, structuredClone(api)));
      expect((ours?.details as unknown[]).length).toBeGreaterThanOrEqual(3);
    },
  );

  it('a document changed between two validations is judged as it is now', () => {
    const shared = schema();
    const api = sharing('3.0', shared, 2);
    expect(thrown(prebuiltSchemaValidator()!, api)).toBeUndefined();
    shared['type'] = 7;
    const ours = thrown(prebuiltSchemaValidator()!, api);
    expect(ours).toBeDefined();
    expect(ours).toEqual(thrown(theirs, structuredClone(api)));
  });
});

describe('dereferenceIgnoringCycles', () => {
  it('replaces acyclic $refs by their (shared) targets and leaves cyclic ones', () => {
    const doc: Doc = {
      a: { $ref: '#/defs/Leaf' },
      b: { $ref: '#/defs/Leaf' },
      c: { $ref: '#/defs/Node' },
      defs: { Leaf: { type: 'string' }, Node: { properties: { next: { $ref: '#/defs/Node' } } } },
    };
    expect(dereferenceIgnoringCycles(doc)).toBe(true);
    const defs = doc['defs'] as Doc;
    expect(doc['a']).toBe(defs['Leaf']);
    expect(doc['b']).toBe(defs['Leaf']);
    expect(doc['c']).toEqual({ $ref: '#/defs/Node' });
  });

  it('merges a $ref’s siblings into a copy of its target', () => {
    const doc: Doc = { a: { $ref: '#/defs/Leaf', description: 'mine' }, defs: { Leaf: { type: 'string' } } };
    expect(dereferenceIgnoringCycles(doc)).toBe(false);
    expect(doc['a']).toEqual({ description: 'mine', type: 'string' });
    expect(doc['a']).not.toBe((doc['defs'] as Doc)['Leaf']);
  });

  it.each([
    ['a $id', { s: { $id: 'x', type: 'string' } }],
    ['a pointer that misses', { a: { $ref: '#/nowhere' } }],
    ['a %-encoded pointer', { a: { $ref: '#/defs/a%20b' }, defs: { 'a b': { type: 'string' } } }],
    ['a $ref to a $ref', { a: { $ref: '#/b' }, b: { $ref: '#/c' }, c: { type: 'string' } }],
  ])('declines %s', (_what, doc) => {
    expect(() => dereferenceIgnoringCycles(doc as Doc)).toThrow(UnsupportedDereference);
  });
});
