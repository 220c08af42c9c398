import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../templates/runtime/rbac/audit.js';
import { callerOf } from '../../../templates/runtime/rbac/guard.js';
import { invokeTool } from '../../../templates/runtime/server/invoke-tool.js';
import { prepareTools } from '../../../templates/runtime/server/tool-registry.js';
import { REPO } from '../../support/generated-project.js';
import { appFromSpec } from '../../support/in-process-app.js';

describe('invokeTool over HTTP', () => {
  it('uses the decision the request already made for the tool (decide), not a second mayCall', async () => {
    const app = await appFromSpec(join(REPO, 'fixtures/auth/pets-oauth.yaml'));
    const tool = prepareTools(app).find((t) => t.definition.name === 'listPets')!;
    // The caller holds the scope, so mayCall would allow: the refusal can only come from `decide`.
    const caller = callerOf({ subject: 's', scopes: ['pets:read'], claims: {}, via: 'jwt' }, app.authorization, {
      transport: 'http',
    });
    const audited: AuditRecord[] = [];
    const asked: string[] = [];
    const result = await invokeTool(
      tool,
      {},
      {
        upstream: { baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000, maxResponseBytes: 1024, env: {}, schemes: {} },
        caller,
        audit: (r) => audited.push(r),
        decide: (t) => {
          asked.push(t.name);
          return { allow: false, kind: 'role', reason: 'decided earlier' };
        },
      },
    );
    expect(asked).toEqual(['listPets']);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Not allowed to call listPets: decided earlier/);
    expect(audited).toMatchObject([{ tool: 'listPets', outcome: 'deny', reason: 'decided earlier' }]);
  });
});
