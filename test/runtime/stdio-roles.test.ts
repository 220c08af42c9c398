import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../templates/runtime/rbac/policy-types.js';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { createRuntime } from '../../templates/runtime/server/main.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

// MCP authorization 2025-11-25 §1.2: stdio has no OAuth. Role rules still apply, to the roles
// the local user is given in MCP_ROLES, and so does the user's policy.

let app: AppDefinition;
let upstream: RecordingUpstream;

beforeAll(async () => {
  const built = await appFromSpec(join(REPO, 'fixtures/auth/pets-oauth.yaml'));
  app = {
    ...built,
    tools: built.tools.map((t) => (t.name === 'deletePet' ? { ...t, access: { ...t.access, roles: ['vet'] } } : t)),
  };
  upstream = await startRecordingUpstream();
});
afterAll(async () => upstream?.close());

async function connect(env: Record<string, string>, policy?: Policy, logs: string[] = []): Promise<Client> {
  const runtime = await createRuntime(
    app,
    { MCP_TRANSPORT: 'stdio', UPSTREAM_BASE_URL: upstream.baseUrl, ...env },
    { log: (l) => logs.push(l), ...(policy ? { policy } : {}) },
  );
  const server = await runtime.factory({ era: 'legacy' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'stdio-test', version: '1' });
  await client.connect(clientSide);
  return client;
}

describe('stdio: scopes do not apply, roles from MCP_ROLES do', () => {
  it('without the role, the role-restricted tool is neither listed nor callable', async () => {
    const client = await connect({ MCP_ROLES: 'owner' });
    const { tools } = await client.listTools();
    // Every scoped tool is there (no OAuth over stdio); the vet-only one is not.
    expect(tools.map((t) => t.name).sort()).toEqual(['createPet', 'getHealth', 'getPet', 'listPets']);
    upstream.requests.length = 0;
    const result = await client
      .callTool({ name: 'deletePet', arguments: { petId: 'p1' } })
      .catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    expect(result.isError).toBe(true);
    expect(upstream.requests).toHaveLength(0);
    await client.close();
  });

  it('with the role, it is called', async () => {
    const client = await connect({ MCP_ROLES: 'vet,owner' });
    upstream.requests.length = 0;
    const result = await client.callTool({ name: 'deletePet', arguments: { petId: 'p1' } });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /api/v1/pets/p1']);
    await client.close();
  });

  it('the policy decides over stdio too, and the decision is audited', async () => {
    const logs: string[] = [];
    const client = await connect(
      {},
      (request) =>
        request.transport === 'stdio' && request.tool.method !== 'GET'
          ? { allow: false, reason: 'read-only laptop' }
          : { allow: true },
      logs,
    );
    upstream.requests.length = 0;
    const denied = await client.callTool({ name: 'createPet', arguments: { body: { name: 'Rex' } } });
    expect(denied.isError).toBe(true);
    expect(JSON.stringify(denied.content)).toContain('read-only laptop');
    expect(upstream.requests).toHaveLength(0);
    const allowed = await client.callTool({ name: 'listPets', arguments: {} });
    expect(allowed.isError ?? false).toBe(false);
    const audit = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'authorization');
    expect(audit).toEqual([
      expect.objectContaining({ subject: 'stdio', tool: 'createPet', outcome: 'deny', transport: 'stdio' }),
      expect.objectContaining({ subject: 'stdio', tool: 'listPets', outcome: 'allow', transport: 'stdio' }),
    ]);
    await client.close();
  });
});

describe('stdio in dynamic tool mode (MCP_TOOL_MODE=dynamic): call_tool is guarded like a direct call', () => {
  it('without the role, search does not show the tool and call_tool refuses it before the upstream', async () => {
    const client = await connect({ MCP_TOOL_MODE: 'dynamic', MCP_ROLES: 'owner' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['call_tool', 'describe_tool', 'search_tools']);
    const search = await client.callTool({ name: 'search_tools', arguments: { query: 'pet', limit: 50 } });
    expect((search.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name)).not.toContain(
      'deletePet',
    );
    upstream.requests.length = 0;
    const result = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'deletePet', arguments: { petId: 'p1' } },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Not allowed to call deletePet: requires one of the roles vet/);
    expect(upstream.requests).toHaveLength(0);
    await client.close();
  });

  it('the policy sees the inner tool and its arguments, and the decision is audited under its name', async () => {
    const logs: string[] = [];
    const seen: string[] = [];
    const client = await connect(
      { MCP_TOOL_MODE: 'dynamic', MCP_ROLES: 'vet' },
      (request) => {
        seen.push(`${request.tool.name} ${JSON.stringify(request.arguments)}`);
        return { allow: false, reason: 'read-only laptop' };
      },
      logs,
    );
    upstream.requests.length = 0;
    const result = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'deletePet', arguments: { petId: 'p1' } },
    });
    expect(result.isError).toBe(true);
    expect(seen).toEqual(['deletePet {"petId":"p1"}']);
    expect(upstream.requests).toHaveLength(0);
    expect(
      logs.some(
        (l) => l.includes('"tool":"deletePet"') && l.includes('"outcome":"deny"') && l.includes('read-only laptop'),
      ),
    ).toBe(true);
    await client.close();
  });
});
