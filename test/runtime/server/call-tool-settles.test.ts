import { join } from 'node:path';
import { ProtocolError } from '@modelcontextprotocol/server';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { callerOf } from '../../../templates/runtime/rbac/guard.js';
import { callTool, type CallTarget } from '../../../templates/runtime/server/call-tool.js';
import { invokeTool } from '../../../templates/runtime/server/invoke-tool.js';
import { prepareTools } from '../../../templates/runtime/server/tool-registry.js';
import { REPO } from '../../support/generated-project.js';
import { appFromSpec } from '../../support/in-process-app.js';

// callTool and invokeTool chain the upstream call's promise instead of running as async functions
// (one async frame and tick less per call). They must still settle as async functions do: a failure
// is a rejection or a tool error, never a synchronous throw into the caller.

const app = await appFromSpec(join(REPO, 'fixtures/auth/pets-oauth.yaml'));
const tool = prepareTools(app).find((t) => t.definition.name === 'listPets')!;
const upstream = { baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000, maxResponseBytes: 1024, env: {}, schemes: {} };
const asIs = (result: CallToolResult) => result;
const target = (find: CallTarget['find']): CallTarget => ({ find, advertisedOutputSchema: () => undefined });

describe('callTool settles like an async function', () => {
  it('rejects (does not throw) for an unknown tool, with -32602', async () => {
    const pending = callTool(
      target(() => undefined),
      { name: 'nope' },
      { upstream },
      asIs,
    );
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toBeInstanceOf(ProtocolError);
    await expect(pending).rejects.toMatchObject({ code: -32602 });
  });

  it('rejects (does not throw) when looking the tool up throws', async () => {
    const pending = callTool(
      target(() => {
        throw new Error('lookup failed');
      }),
      { name: 'listPets' },
      { upstream },
      asIs,
    );
    await expect(pending).rejects.toThrow('lookup failed');
  });

  it('answers a projection that throws with a tool error, as McpServer does', async () => {
    const denied = { allow: false, kind: 'role', reason: 'no' } as const;
    const caller = callerOf({ subject: 's', scopes: [], claims: {}, via: 'jwt' }, app.authorization, {
      transport: 'http',
    });
    const result = await callTool(
      target(() => tool),
      { name: 'listPets' },
      { upstream, caller, decide: () => denied },
      () => {
        throw new Error('projection failed');
      },
    );
    expect(result).toEqual({ isError: true, content: [{ type: 'text', text: 'projection failed' }] });
  });

  it('answers invalid arguments with a tool error in the SDK wording', async () => {
    const result = await callTool(
      target(() => tool),
      { name: 'listPets', arguments: { limit: 'many' } },
      { upstream },
      asIs,
    );
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Input validation error: Invalid arguments for tool listPets/);
  });
});

describe('invokeTool settles like an async function', () => {
  it('rejects (does not throw) when the authorization check throws', async () => {
    const caller = callerOf({ subject: 's', scopes: [], claims: {}, via: 'jwt' }, app.authorization, {
      transport: 'http',
    });
    const pending = invokeTool(
      tool,
      {},
      {
        upstream,
        caller,
        decide: () => {
          throw new Error('decision failed');
        },
      },
    );
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow('decision failed');
  });
});
