import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { McpRequestContext } from '@modelcontextprotocol/server';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import { callerOf } from '../../../templates/runtime/rbac/guard.js';
import { createServerFactory } from '../../../templates/runtime/server/create-server.js';
import { CALLER_KEY } from '../../../templates/runtime/server/http-gate.js';
import { REPO } from '../../support/generated-project.js';
import { appFromSpec } from '../../support/in-process-app.js';

type ListHandler = (request: unknown, ctx: unknown) => Promise<{ tools: { name: string }[] }>;

/** The `tools/list` answer one HTTP request of a caller with these scopes gets from the factory. */
async function listFor(factory: ReturnType<typeof createServerFactory>, app: AppDefinition, scopes: string[]) {
  const caller = callerOf({ subject: 's', scopes, claims: {}, via: 'jwt' }, app.authorization, { transport: 'http' });
  const product = await factory({
    authInfo: { token: 't', clientId: 'c', scopes, extra: { [CALLER_KEY]: caller } },
  } as unknown as McpRequestContext);
  const server = 'server' in product ? product.server : product;
  const handler = (server as unknown as { _requestHandlers: Map<string, ListHandler> })._requestHandlers.get(
    'tools/list',
  ) as ListHandler;
  return handler({ method: 'tools/list', params: {} }, {});
}

describe('createServerFactory: tools/list pages per visibility class', () => {
  it('serves callers who differ only in scopes no tool names the same prebuilt page', async () => {
    const app = await appFromSpec(join(REPO, 'fixtures/auth/pets-oauth.yaml'));
    const factory = createServerFactory({
      app,
      upstream: { baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000, maxResponseBytes: 1024, env: {} },
    });
    const reader = await listFor(factory, app, ['pets:read', 'openid']);
    const other = await listFor(factory, app, ['email', 'pets:read']);
    const writer = await listFor(factory, app, ['pets:write']);
    expect(other).toBe(reader);
    expect(writer).not.toBe(reader);
    expect(reader.tools.map((t) => t.name)).not.toEqual(writer.tools.map((t) => t.name));
  });
});
