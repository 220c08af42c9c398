import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadDocument, loadDocumentLazily, settle } from '../../src/load/index.js';
import { rewriteAliasRefs } from '../../src/load/local-refs.js';
import { parkDataRefs } from '../../src/load/ref-positions.js';
import { prepareSingleJson, singleJsonFromBytes } from '../../src/load/single-json-document.js';
import { validateMessage } from '../../src/load/validate-in-background.js';
import { validateDocument } from '../../src/load/validate-document.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A single JSON file that breaks the schema (no responses; a parameter `in: nowhere`), has an alias
 * `$ref` the bundler would rewrite, and a `$ref` inside an example (data, parked while validating).
 */
const SPEC = {
  openapi: '3.0.3',
  info: { title: 'bytes', version: '1.0.0' },
  paths: {
    '/tutorial': { get: { responses: {} } },
    '/pets': {
      get: {
        parameters: [{ name: 'limit', in: 'nowhere', schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/PetAlias' },
                example: { $ref: '#/not/a/schema' },
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      PetAlias: { $ref: '#/components/schemas/Pet' },
      Pet: { type: 'object', properties: { name: { type: 'string' } } },
    },
  },
};

function specFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'validate-bytes-'));
  const file = path.join(dir, 'spec.json');
  // A byte order mark, as some editors write: parse-text.ts drops it, and so must the worker.
  writeFileSync(file, `\ufeff${JSON.stringify(SPEC, null, 2)}`);
  return file;
}

/** The document as the loader hands it to validation, built with the walking functions. */
function asLoaderValidatesIt(): Record<string, unknown> {
  const doc = JSON.parse(JSON.stringify(SPEC)) as Record<string, unknown>;
  parkDataRefs(doc, 'openapi3', 'tree');
  rewriteAliasRefs(doc, 'openapi3');
  return doc;
}

describe('a single JSON file is validated from its bytes, not from a copy of the document (issue 8)', () => {
  test('the warnings are those of validating the prepared document', async () => {
    const file = specFile();
    const { readFileSync } = await import('node:fs');
    const fromBytes = await validateMessage({ kind: 'openapi3', file: 'spec.json', bytes: readFileSync(file) });
    const expected = await validateDocument(asLoaderValidatesIt(), 'openapi3', 'spec.json');
    expect(fromBytes).toEqual(expected);
    expect(fromBytes.map((d) => d.pointer)).toEqual(
      expect.arrayContaining(['/paths/~1tutorial/get/responses', '/paths/~1pets/get/parameters/0']),
    );
  });

  test('above BACKGROUND_LIMIT_FROM_BYTES (validated in series on this thread) the bytes are used too, with the same warnings', async () => {
    const { readFileSync } = await import('node:fs');
    const { BACKGROUND_LIMIT_FROM_BYTES, startValidator } = await import('../../src/load/validate-in-background.js');
    const bytes = readFileSync(specFile());
    // The document argument is not what is validated when bytes are given: an empty one proves it.
    const big = await (
      await startValidator(BACKGROUND_LIMIT_FROM_BYTES + 1).validate({}, 'openapi3', 'spec.json', bytes)
    ).diagnostics;
    expect(big).toEqual(await validateDocument(asLoaderValidatesIt(), 'openapi3', 'spec.json'));
  });

  test('between the two limits a single JSON file is validated on the worker, a document sent as text in series', async () => {
    const { readFileSync } = await import('node:fs');
    const dist = (await import(
      path.join(REPO, 'dist/src/load/validate-in-background.js')
    )) as typeof import('../../src/load/validate-in-background.js');
    // synthetic-20k of `npm run bench` (41 MB): on the worker since issue 8's sixth round.
    expect(dist.BACKGROUND_LIMIT_FROM_BYTES).toBeGreaterThan(41_263_831);
    const size = dist.BACKGROUND_LIMIT + 1;
    const expected = await validateDocument(asLoaderValidatesIt(), 'openapi3', 'spec.json');
    const settledBy = async (diagnostics: Promise<unknown>) => {
      let done = false;
      void diagnostics.then(() => (done = true));
      await new Promise((resolve) => setImmediate(resolve));
      return done;
    };

    const fromBytes = await dist.startValidator(size).validate({}, 'openapi3', 'spec.json', readFileSync(specFile()));
    // Still running beside the caller (on the worker) when validate resolves.
    expect(await settledBy(fromBytes.diagnostics)).toBe(false);
    expect(await fromBytes.diagnostics).toEqual(expected);

    const asText = await dist.startValidator(size).validate(asLoaderValidatesIt(), 'openapi3', 'spec.json');
    // Done before validate resolves: validated in series here, no copy on the worker.
    expect(await settledBy(asText.diagnostics)).toBe(true);
    expect(await asText.diagnostics).toEqual(expected);
  });

  test('the compiled loader (worker thread) and the sources (this thread) report the same', async () => {
    const file = specFile();
    const dist = (await import(path.join(REPO, 'dist/src/load/index.js'))) as typeof import('../../src/load/index.js');
    const viaWorker = await dist.settle(await dist.loadDocumentLazily(file));
    const here = await settle(await loadDocumentLazily(file));
    expect(viaWorker.diagnostics).toEqual(here.diagnostics);
    expect(here.diagnostics.filter((d) => d.code === 'SPEC_INVALID').length).toBeGreaterThan(0);
    // The loaded document itself is unchanged by where validation ran: data $ref restored, alias rewritten.
    expect(JSON.stringify(viaWorker.document)).toBe(JSON.stringify((await loadDocument(file)).document));
    expect(JSON.stringify(here.document)).toContain('"example":{"$ref":"#/not/a/schema"}');
    expect(JSON.stringify(here.document)).toContain('"schema":{"$ref":"#/components/schemas/Pet"}');
  });
});

describe("the worker replays the loader's preparation of the same bytes instead of walking them (issue 8)", () => {
  const bytes = () => Buffer.from(`\ufeff${JSON.stringify(SPEC, null, 2)}`);

  test("the loader's parse of the bytes, prepared, gives where it parked and what it rewrote", () => {
    const { preparation } = prepareSingleJson(JSON.parse(JSON.stringify(SPEC)), 'openapi3');
    expect(preparation).toEqual({
      parked: [['paths', '/pets', 'get', 'responses', '200', 'content', 'application/json', 'example']],
      rewritten: [
        [
          ['paths', '/pets', 'get', 'responses', '200', 'content', 'application/json', 'schema'],
          '#/components/schemas/Pet',
        ],
      ],
    });
  });

  test('replayed, the document is the walked one, key order included', () => {
    const { preparation } = prepareSingleJson(JSON.parse(JSON.stringify(SPEC)), 'openapi3');
    const replayed = singleJsonFromBytes(bytes(), 'openapi3', preparation);
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(singleJsonFromBytes(bytes(), 'openapi3')));
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(asLoaderValidatesIt()));
  });

  test('the preparation is what is applied: an empty one changes nothing (no walk behind it)', () => {
    const replayed = singleJsonFromBytes(bytes(), 'openapi3', { parked: [], rewritten: [] });
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(SPEC));
  });

  test('a preparation that names a place without a $ref is not half applied: the bytes are walked', () => {
    const { preparation } = prepareSingleJson(JSON.parse(JSON.stringify(SPEC)), 'openapi3');
    const stale = { ...preparation, rewritten: [...preparation.rewritten, [['info'], '#/x'] as const] };
    expect(JSON.stringify(singleJsonFromBytes(bytes(), 'openapi3', stale))).toBe(JSON.stringify(asLoaderValidatesIt()));
  });
});
