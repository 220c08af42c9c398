import { describe, expect, it } from 'vitest';
import { lintSecurity, strictLint } from '../../src/model/lint.js';
import { model } from './literal-document.js';

const oauth = (scopes: Record<string, string>) => ({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://a.example.com/t', scopes } } });
const ok = { responses: { '200': { description: 'ok' } } };

function lint(document: Record<string, unknown>) {
  const built = model(document);
  return lintSecurity(built.tools, built.schemes).map((d) => [d.code, d.severity, d.pointer]);
}

describe('security lint', () => {
  it('is quiet on an API whose every operation needs a declared scope', () => {
    expect(
      lint({
        security: [{ o: ['read'] }],
        paths: { '/a': { get: { operationId: 'a', ...ok }, post: { operationId: 'b', security: [{ o: ['write'] }], ...ok } } },
        components: { securitySchemes: { o: oauth({ read: 'r', write: 'w' }) } },
      }),
    ).toEqual([]);
  });

  it('flags tools any authenticated caller may call, once, with the first as pointer', () => {
    const found = lint({ paths: { '/a': { get: { operationId: 'a', ...ok } }, '/b': { get: { operationId: 'b', ...ok } } } });
    expect(found).toEqual([['LINT_TOOL_WITHOUT_SCOPE', 'warning', '/paths/~1a/get']]);
  });

  it('flags security: [] on a write, not on a read', () => {
    const found = lint({
      security: [{ o: ['read'] }],
      paths: { '/a': { get: { operationId: 'a', security: [], ...ok }, delete: { operationId: 'b', security: [], ...ok } } },
      components: { securitySchemes: { o: oauth({ read: 'r' }) } },
    });
    expect(found).toContainEqual(['LINT_PUBLIC_WRITE', 'warning', '/paths/~1a/delete/security']);
    expect(found.filter(([code]) => code === 'LINT_PUBLIC_WRITE')).toHaveLength(1);
  });

  it('flags a scope used but not declared, and declared scopes nobody uses', () => {
    const found = lint({
      paths: { '/a': { get: { operationId: 'a', security: [{ o: ['raed'] }], ...ok } } },
      components: { securitySchemes: { o: oauth({ read: 'r', admin: 'a' }) } },
    });
    expect(found).toContainEqual(['LINT_SCOPE_UNDECLARED', 'warning', '/paths/~1a/get']);
    expect(found).toContainEqual(['LINT_SCOPE_UNUSED', 'warning', '/components/securitySchemes/o']);
  });

  it('--strict makes lint findings errors and leaves other diagnostics alone', () => {
    const out = strictLint([
      { code: 'LINT_PUBLIC_WRITE', severity: 'warning', message: 'm' },
      { code: 'TOOL_NAME_ADJUSTED', severity: 'info', message: 'm' },
      { code: 'SECURITY_SCHEME_UNSUPPORTED', severity: 'warning', message: 'm' },
    ]);
    expect(out.map((d) => d.severity)).toEqual(['error', 'info', 'error']);
  });
});
