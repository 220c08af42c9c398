import { describe, expect, it } from 'vitest';
import { documentHints, extensionHints, pathItemHints } from '../../src/model/extensions.js';
import { operationToTool } from '../../src/model/operation.js';
import { SchemaRegistry } from '../../src/model/schema-registry.js';
import { collectSchemes, documentSecurity, securityOf } from '../../src/model/security.js';
import { selectOperations } from '../../src/model/tool-selection.js';
import { model, operation } from './literal-document.js';

const pointers = (diagnostics: readonly { code: string; pointer?: string }[]) =>
  diagnostics.map((d) => `${d.code} ${d.pointer}`);

describe('model stages return their diagnostics; a shared site is read, and reported, once', () => {
  it('a bad extension on a path item is reported once, with the first of its operations', () => {
    const built = model({
      'x-mcp': 'maybe',
      paths: {
        '/a': {
          'x-mcp-exclude': 'yes',
          'x-mcp-roles': [1],
          get: operation({ 'x-mcp-exclude': 'no', 'x-mcp-roles': 5 }),
          post: operation({ 'x-mcp-roles': 6 }),
          put: operation(),
        },
        '/b': { get: operation() },
      },
    });
    // In the order the first operation reads them: itself, its path item, the root, then roles.
    expect(pointers(built.diagnostics.filter((d) => d.code === 'EXTENSION_INVALID'))).toEqual([
      'EXTENSION_INVALID /paths/~1a/get/x-mcp-exclude',
      'EXTENSION_INVALID /paths/~1a/x-mcp-exclude',
      'EXTENSION_INVALID /x-mcp',
      'EXTENSION_INVALID /paths/~1a/x-mcp-roles',
      'EXTENSION_INVALID /paths/~1a/get/x-mcp-roles',
      'EXTENSION_INVALID /paths/~1a/post/x-mcp-roles',
    ]);
  });

  it("extensionHints carries the shared sites' diagnostics only for their first operation", () => {
    const pathItem = pathItemHints({ 'x-mcp-exclude': 'yes', 'x-mcp-roles': ['ops'] }, '/paths/~1a');
    const root = documentHints({ 'x-mcp': false });
    const site = { operation: operation(), operationPointer: '/paths/~1a/get', pathItem, document: root };
    const first = extensionHints({ ...site, firstOf: { pathItem: true, document: true } });
    const later = extensionHints({ ...site, firstOf: { pathItem: false, document: false } });
    expect(pointers(first.diagnostics)).toEqual(['EXTENSION_INVALID /paths/~1a/x-mcp-exclude']);
    expect(later.diagnostics).toEqual([]);
    // The values do not depend on who reports: both see the path item's roles and the root's exclusion.
    expect(later.value).toEqual(first.value);
    expect(first.value).toMatchObject({ roles: ['ops'], excludedBy: 'x-mcp: false at the document root' });
  });

  it('the document default security is read once: an operation inheriting it reports nothing', () => {
    const document = {
      security: [{ nope: [] }],
      components: { securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'k' } } },
    };
    const schemes = collectSchemes(document).value;
    const defaults = documentSecurity(document, schemes);
    expect(pointers(defaults?.diagnostics ?? [])).toEqual(['SECURITY_SCHEME_UNKNOWN /security/0']);
    const inherited = securityOf(operation(), '/paths/~1a/get', { schemes, documentSecurity: defaults?.value ?? [] });
    expect(inherited).toEqual({
      value: { security: [[{ scheme: 'nope', scopes: [] }]], source: 'document' },
      diagnostics: [],
    });
    const own = securityOf(operation({ security: [{ gone: [] }] }), '/paths/~1a/get', { schemes });
    expect(pointers(own.diagnostics)).toEqual(['SECURITY_SCHEME_UNKNOWN /paths/~1a/get/security/0']);
  });

  it('operationToTool takes a named context and returns the tool with its own diagnostics', () => {
    const document = { paths: {} };
    const op = operation({ parameters: [{ name: 'a b', in: 'query', schema: { type: 'string' } }] });
    const { value, diagnostics } = operationToTool(
      { document, registry: new SchemaRegistry(document, '3.1'), schemes: new Map() },
      {
        path: '/a',
        method: 'get',
        pathItem: {},
        pathPointer: '/paths/~1a',
        operation: op,
        operationPointer: '/paths/~1a/get',
      },
    );
    expect(value.http.parameters.map((p) => p.argument)).toEqual(['a_b']);
    expect(pointers(diagnostics)).toEqual(['PARAMETER_RENAMED /paths/~1a/get']);
  });

  it('selectOperations returns the selection and its diagnostics', () => {
    const op = operation({ operationId: 'listPets' });
    const selection = selectOperations({
      entries: [
        {
          path: '/pets',
          method: 'get',
          key: 'GET /pets',
          operationId: 'listPets',
          tags: [],
          pointer: '/paths/~1pets/get',
          pathItem: { get: op },
          pathPointer: '/paths/~1pets',
          operation: op,
        },
      ],
      document: {},
      config: { tools: { listPet: { name: 'pets' } } },
      configFile: 'mcp.yaml',
    });
    expect(selection.value.map((s) => s.name)).toEqual(['listPets']);
    expect(selection.diagnostics.map((d) => [d.code, d.file, d.hint])).toEqual([
      ['CONFIG_UNMATCHED', 'mcp.yaml', 'Did you mean "listPets"?'],
    ]);
  });
});
