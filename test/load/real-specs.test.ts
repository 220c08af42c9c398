import { describe, expect, it } from 'vitest';
import { FatalDiagnosticsError } from '../../src/diagnostics.js';
import { loadDocument } from '../../src/load/index.js';
import { SPECS, hasSpec } from '../support/generated-project.js';

function localRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => localRefs(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else localRefs(v, out);
    }
  }
  return out;
}

describe('real-world specs', () => {
  const loads: [string, { dialect: '3.0' | '3.1'; sourceVersion: string; paths: number }][] = [
    ['oai-petstore-expanded.yaml', { dialect: '3.0', sourceVersion: '3.0.0', paths: 2 }],
    ['oai-petstore-expanded-v2.json', { dialect: '3.0', sourceVersion: '2.0', paths: 2 }],
    ['oai-petstore-separate/spec/swagger.yaml', { dialect: '3.0', sourceVersion: '2.0', paths: 2 }],
    ['digitalocean-public/DigitalOcean-public.v2.yaml', { dialect: '3.0', sourceVersion: '3.0.0', paths: 445 }],
  ];
  it.each(loads.filter(([file]) => hasSpec(file)))('%s loads, bundled with local refs only', async (file, want) => {
    const loaded = await loadDocument(`${SPECS}/${file}`);
    expect(loaded).toMatchObject({ dialect: want.dialect, sourceVersion: want.sourceVersion });
    expect(Object.keys(loaded.document['paths'] as object)).toHaveLength(want.paths);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const external = localRefs(loaded.document).filter((r) => !r.startsWith('#'));
    expect(external).toEqual([]);
  });

  it('oai-petstore-separate comes out as OpenAPI 3.0 with components', async () => {
    const loaded = await loadDocument(`${SPECS}/oai-petstore-separate/spec/swagger.yaml`);
    expect(loaded.document['openapi']).toMatch(/^3\.0\./);
    expect(loaded.document).toHaveProperty(['paths', '/pets', 'post', 'requestBody', 'content', 'application/json']);
    expect(loaded.diagnostics).toContainEqual(expect.objectContaining({ code: 'SWAGGER2_CONVERTED' }));
  });

  it.skipIf(!hasSpec('okta-management.yaml'))(
    'okta loads, keeping the dangling $refs inside its example values as data',
    async () => {
      const loaded = await loadDocument(`${SPECS}/okta-management.yaml`);
      expect(loaded).toMatchObject({ dialect: '3.0', sourceVersion: '3.0.3' });
      expect(localRefs(loaded.document).filter((r) => !r.startsWith('#'))).toEqual([]);
      expect(localRefs(loaded.document)).toContain('#/definitions/base');
      expect(loaded.diagnostics.every((d) => d.code === 'SPEC_INVALID' && d.severity === 'warning')).toBe(true);
    },
  );

  it.skipIf(!hasSpec('docusign-esignature.json'))(
    'docusign fails with REF_UNRESOLVED at the place of each dangling $ref',
    async () => {
      const error = await loadDocument(`${SPECS}/docusign-esignature.json`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FatalDiagnosticsError);
      const diagnostics = (error as FatalDiagnosticsError).diagnostics;
      expect(diagnostics.length).toBeGreaterThan(1);
      expect(diagnostics.every((d) => d.code === 'REF_UNRESOLVED' && d.severity === 'error')).toBe(true);
      // Each dangling $ref once, in document order (the bundler also listed the places it reached through other $refs).
      const pointers = diagnostics.map((d) => d.pointer);
      expect(new Set(pointers).size).toBe(pointers.length);
      const witness = diagnostics.find((d) => d.pointer === '/definitions/witness/properties/offlineAttributes');
      expect(witness?.message).toContain('#/definitions/offlineAttributes');
    },
  );
});
