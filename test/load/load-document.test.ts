import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FatalDiagnosticsError, type Diagnostic } from '../../src/diagnostics.js';
import { loadDocument } from '../../src/load/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/load');
const load = (input: string, stdin?: string) =>
  loadDocument(input, { cwd: fixtures, ...(stdin !== undefined ? { stdin } : {}) });

/** The diagnostics of a load that must fail; fails the test if it loads or throws anything else. */
async function fatal(input: string, stdin?: string): Promise<readonly Diagnostic[]> {
  const error = await load(input, stdin).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FatalDiagnosticsError);
  return (error as FatalDiagnosticsError).diagnostics;
}

describe('loadDocument: fatal inputs', () => {
  const cases: [string, { input: string; stdin?: string; want: Partial<Diagnostic>[] }][] = [
    ['missing file', { input: 'no-such-spec.yaml', want: [{ code: 'INPUT_NOT_FOUND', file: 'no-such-spec.yaml' }] }],
    ['a directory', { input: 'multi-file', want: [{ code: 'INPUT_NOT_FOUND' }] }],
    [
      'malformed YAML',
      { input: 'malformed.yaml', want: [{ code: 'INPUT_PARSE_ERROR', file: 'malformed.yaml', line: 7, column: 11 }] },
    ],
    [
      'malformed JSON (trailing comma)',
      { input: 'malformed.json', want: [{ code: 'INPUT_PARSE_ERROR', file: 'malformed.json', line: 6, column: 3 }] },
    ],
    ['a package.json', { input: 'not-openapi.json', want: [{ code: 'INPUT_NOT_OPENAPI', file: 'not-openapi.json' }] }],
    ['an empty document', { input: '-', stdin: '', want: [{ code: 'INPUT_NOT_OPENAPI', file: '<stdin>' }] }],
    ['a YAML list', { input: '-', stdin: '- a\n- b\n', want: [{ code: 'INPUT_NOT_OPENAPI' }] }],
    ['openapi 4', { input: 'openapi-4.yaml', want: [{ code: 'INPUT_UNSUPPORTED_VERSION', pointer: '/openapi' }] }],
    [
      'openapi 3.2',
      {
        input: '-',
        stdin: 'openapi: 3.2.0\ninfo: {title: t, version: "1"}\npaths: {}\n',
        want: [{ code: 'INPUT_UNSUPPORTED_VERSION' }],
      },
    ],
    [
      'swagger 1.2',
      { input: '-', stdin: 'swagger: "1.2"\n', want: [{ code: 'INPUT_UNSUPPORTED_VERSION', pointer: '/swagger' }] },
    ],
    [
      'two dangling refs, both reported',
      {
        input: 'dangling-ref.yaml',
        want: [
          {
            code: 'REF_UNRESOLVED',
            file: 'dangling-ref.yaml',
            pointer: '/paths/~1pets/get/responses/200/content/application~1json/schema',
          },
          { code: 'REF_UNRESOLVED', file: 'dangling-ref.yaml', pointer: '/components/schemas/Pet/properties/owner' },
        ],
      },
    ],
    [
      'a property named example holds a real $ref',
      {
        input: 'data-refs-broken.yaml',
        want: [{ code: 'REF_UNRESOLVED', pointer: '/components/schemas/Doc/properties/example' }],
      },
    ],
    [
      'a $ref to a missing file',
      {
        input: 'multi-file-missing/openapi.yaml',
        want: [
          {
            code: 'REF_UNRESOLVED',
            file: 'multi-file-missing/openapi.yaml',
            pointer: '/paths/~1pets/get/responses/200/content/application~1json/schema',
          },
        ],
      },
    ],
    [
      'a malformed referenced file',
      {
        input: 'multi-file-bad-yaml/openapi.yaml',
        want: [{ code: 'INPUT_PARSE_ERROR', file: 'multi-file-bad-yaml/pet.yaml', line: 4, column: 1 }],
      },
    ],
  ];
  it.each(cases)('%s', async (_name, { input, stdin, want }) => {
    const diagnostics = await fatal(input, stdin);
    expect(diagnostics).toEqual(want.map((w) => expect.objectContaining({ severity: 'error', ...w })));
    for (const d of diagnostics) expect(d.message).not.toMatch(/\n\s+at /); // no stack traces
  });

  it('names the missing target of a dangling $ref', async () => {
    const [first] = await fatal('dangling-ref.yaml');
    expect(first?.message).toContain('#/components/schemas/Pets');
  });
});

describe('loadDocument: documents that load', () => {
  it('reads OpenAPI 3.1 with webhooks and no paths', async () => {
    const loaded = await load('openapi-31.yaml');
    expect(loaded).toMatchObject({
      dialect: '3.1',
      sourceVersion: '3.1.0',
      source: 'openapi-31.yaml',
      diagnostics: [],
    });
    expect(loaded.document['paths']).toBeUndefined();
    expect(loaded.document).toHaveProperty(
      ['webhooks', 'newPet', 'post', 'requestBody', 'content', 'application/json', 'schema', '$ref'],
      '#/components/schemas/Pet',
    );
  });

  it('converts Swagger 2.0 formData, consumes, definitions and securityDefinitions', async () => {
    const loaded = await load('swagger2-form.yaml');
    expect(loaded).toMatchObject({ dialect: '3.0', sourceVersion: '2.0' });
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'SWAGGER2_CONVERTED', severity: 'info' })]);
    const doc = loaded.document as Record<string, any>;
    expect(doc['openapi']).toMatch(/^3\.0\./);
    const upload = doc['paths']['/pets/{petId}/photo']['post'];
    expect(Object.keys(upload.requestBody.content)).toEqual(['multipart/form-data']);
    expect(upload.requestBody.content['multipart/form-data'].schema).toMatchObject({
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' }, caption: { type: 'string' } },
      required: ['file'],
    });
    expect(upload.parameters).toEqual([expect.objectContaining({ name: 'petId', in: 'path' })]);
    expect(upload.security).toEqual([{ petstore_auth: ['write:pets'] }]);
    const add = doc['paths']['/pets']['post'];
    expect(add.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Pet' });
    expect(doc['components'].schemas.Pet).toMatchObject({ type: 'object', required: ['name'] });
    expect(doc['components'].securitySchemes).toEqual({
      petstore_auth: {
        type: 'oauth2',
        flows: {
          implicit: {
            authorizationUrl: 'https://example.com/oauth/authorize',
            scopes: { 'read:pets': 'read your pets', 'write:pets': 'modify pets' },
          },
        },
      },
      api_key: { type: 'apiKey', name: 'X-API-Key', in: 'header' },
    });
    expect(doc['servers']).toEqual([{ url: 'https://api.example.com/v1' }]);
    expect(doc).not.toHaveProperty('definitions');
    expect(doc).not.toHaveProperty('securityDefinitions');
  });

  it('bundles a relative $ref into the document and keeps internal (circular) refs', async () => {
    const loaded = await load('multi-file/openapi.yaml');
    const doc = loaded.document as Record<string, any>;
    const items = doc['paths']['/pets'].get.responses['200'].content['application/json'].schema.items;
    expect(items).toMatchObject({ type: 'object', required: ['name'] });
    expect(items.properties.parent.$ref).toMatch(/^#\//);
    expect(doc['components'].schemas.Tree.properties.children.items).toEqual({ $ref: '#/components/schemas/Tree' });
    expect(allRefs(doc).every((r) => r.startsWith('#'))).toBe(true);
    expect(() => JSON.stringify(doc)).not.toThrow();
  });

  it('leaves $refs inside examples, defaults and x-* untouched and unchecked', async () => {
    const loaded = await load('data-refs.yaml');
    expect(loaded.diagnostics).toEqual([]);
    const doc = loaded.document as Record<string, any>;
    expect(doc['x-internal']).toEqual({ $ref: '#/nowhere/in/extension' });
    const media = doc['paths']['/schemas'].get.responses['200'].content['application/json'];
    expect(media.examples.full.value.allOf).toEqual([{ $ref: '#/definitions/custom' }]);
    expect(media.examples.named).toEqual({ $ref: '#/components/examples/Named' });
    expect(doc['components'].schemas.Doc.example).toEqual({ $ref: '#/definitions/base' });
    expect(doc['components'].schemas.Doc.default).toEqual({ $ref: '#/definitions/default' });
    expect(JSON.stringify(doc)).not.toContain('openapi-to-mcp:');
  });

  it('restores the data $refs of a Swagger 2.0 JSON file after converting it, and needs none to restore', async () => {
    const swagger = (extra: object) =>
      JSON.stringify({
        swagger: '2.0',
        info: { title: 't', version: '1' },
        paths: { '/a': { get: { responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/A' } } } } } },
        definitions: { A: { type: 'object', ...extra } },
      });
    const withData = (await load('-', swagger({ 'x-shape': { $ref: '#/nowhere' } }))).document as Record<string, any>;
    expect(withData['components'].schemas.A['x-shape']).toEqual({ $ref: '#/nowhere' });
    const without = await load('-', swagger({}));
    expect(JSON.stringify(without.document)).not.toContain('openapi-to-mcp:');
    expect((without.document as Record<string, any>)['components'].schemas.A).toEqual({ type: 'object' });
  });

  it('reports schema violations as SPEC_INVALID warnings with pointers and goes on', async () => {
    const loaded = await load('invalid-but-usable.yaml');
    const pointers = loaded.diagnostics.map((d) => [d.code, d.severity, d.pointer]);
    expect(pointers).toContainEqual(['SPEC_INVALID', 'warning', '/paths/~1tutorial/get/responses']);
    expect(pointers.some(([, , p]) => String(p).startsWith('/paths/~1pets/get/parameters/0'))).toBe(true);
  });

  it('warns about duplicate YAML keys and keeps the last value', async () => {
    const loaded = await load('duplicate-key.yaml');
    expect(loaded.document).toHaveProperty(['info', 'title'], 'Second');
    expect(loaded.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'SPEC_INVALID', severity: 'warning', line: 4, column: 3 }),
    );
  });

  it('accepts an unquoted `swagger: 2.0` with a warning', async () => {
    const loaded = await load('-', 'swagger: 2.0\ninfo: {title: t, version: "1"}\npaths: {}\n');
    expect(loaded.sourceVersion).toBe('2.0');
    expect(loaded.diagnostics).toContainEqual(expect.objectContaining({ code: 'SPEC_INVALID', pointer: '/swagger' }));
  });

  it('reads stdin from a stream', async () => {
    const text = await readFile(path.join(fixtures, 'openapi-31.yaml'), 'utf8');
    const loaded = await loadDocument('-', { cwd: fixtures, stdin: Readable.from([Buffer.from(text)]) });
    expect(loaded).toMatchObject({ source: '<stdin>', dialect: '3.1' });
    expect(loaded.hash).toBe(sha256(Buffer.from(text)));
  });

  it('hashes a single file as sha256 of its bytes, and a multi-file spec over every file', async () => {
    const single = await load('openapi-31.yaml');
    expect(single.hash).toBe(sha256(await readFile(path.join(fixtures, 'openapi-31.yaml'))));
    const multi = await load('multi-file/openapi.yaml');
    expect(multi.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(multi.hash).not.toBe(sha256(await readFile(path.join(fixtures, 'multi-file/openapi.yaml'))));
  });
});

describe('loadDocument: URLs', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = path.join(fixtures, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      readFile(file).then(
        (bytes) => res.end(bytes),
        () => {
          res.statusCode = 404;
          res.end('not found');
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches a multi-file spec over http and bundles it', async () => {
    const loaded = await loadDocument(`${base}/multi-file/openapi.yaml`);
    expect(loaded.source).toBe(`${base}/multi-file/openapi.yaml`);
    expect(loaded.document).toHaveProperty(
      ['paths', '/pets', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'items', 'required'],
      ['name'],
    );
  });

  it('reports a 404 as INPUT_NOT_FOUND', async () => {
    const error = await loadDocument(`${base}/nope.yaml`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDiagnosticsError);
    expect((error as FatalDiagnosticsError).diagnostics).toEqual([
      expect.objectContaining({ code: 'INPUT_NOT_FOUND', message: expect.stringContaining('404') }),
    ]);
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function allRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allRefs(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else allRefs(v, out);
    }
  }
  return out;
}
