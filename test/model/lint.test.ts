import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build-model.js';
import { lintSecurity, strictLint } from '../../src/model/lint.js';
import { loaded, model } from './literal-document.js';

const oauth = (scopes: Record<string, string>) => ({
  type: 'oauth2',
  flows: { clientCredentials: { tokenUrl: 'https://a.example.com/t', scopes } },
});
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
        paths: {
          '/a': { get: { operationId: 'a', ...ok }, post: { operationId: 'b', security: [{ o: ['write'] }], ...ok } },
        },
        components: { securitySchemes: { o: oauth({ read: 'r', write: 'w' }) } },
      }),
    ).toEqual([]);
  });

  it('flags tools any authenticated caller may call, once, with the first as pointer', () => {
    const found = lint({
      paths: { '/a': { get: { operationId: 'a', ...ok } }, '/b': { get: { operationId: 'b', ...ok } } },
    });
    expect(found).toEqual([['LINT_TOOL_WITHOUT_SCOPE', 'warning', '/paths/~1a/get']]);
  });

  it('flags security: [] on a write, not on a read', () => {
    const found = lint({
      security: [{ o: ['read'] }],
      paths: {
        '/a': { get: { operationId: 'a', security: [], ...ok }, delete: { operationId: 'b', security: [], ...ok } },
      },
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

  describe('roles without a roles claim', () => {
    const document = {
      security: [{ o: ['read'] }],
      paths: {
        '/a': { get: { operationId: 'a', ...ok }, delete: { operationId: 'b', 'x-mcp-roles': ['admin'], ...ok } },
      },
      components: { securitySchemes: { o: oauth({ read: 'r' }) } },
    };
    const run = (config: Record<string, unknown> = {}) => {
      const built = buildModel(loaded(document), config);
      return lintSecurity(built.tools, built.schemes, built.authorization);
    };

    it('warns that role-guarded tools are unreachable over OAuth when no roles claim is configured', () => {
      const found = run().filter((d) => d.code === 'LINT_ROLES_WITHOUT_CLAIM');
      expect(found).toEqual([
        {
          code: 'LINT_ROLES_WITHOUT_CLAIM',
          severity: 'warning',
          message:
            '1 tool requires a role (b) but no roles claim is configured: over OAuth no caller can use them unless OAUTH_ROLES_CLAIM is set when the server runs.',
          pointer: '/paths/~1a/delete',
          hint: expect.stringContaining('authorization.rolesClaim'),
        },
      ]);
    });

    it('is quiet when the config names the roles claim', () => {
      expect(run({ authorization: { rolesClaim: 'realm_access.roles' } }).map((d) => d.code)).not.toContain(
        'LINT_ROLES_WITHOUT_CLAIM',
      );
    });

    it('is quiet when no tool needs a role', () => {
      const built = model({ ...document, paths: { '/a': { get: { operationId: 'a', ...ok } } } });
      expect(lintSecurity(built.tools, built.schemes, built.authorization).map((d) => d.code)).not.toContain(
        'LINT_ROLES_WITHOUT_CLAIM',
      );
    });

    it('is an error under --strict', () => {
      expect(strictLint(run()).find((d) => d.code === 'LINT_ROLES_WITHOUT_CLAIM')?.severity).toBe('error');
    });
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
