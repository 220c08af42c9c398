import { describe, expect, it, vi } from 'vitest';
import type { AppDefinition, ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { prepareTools } from '../../templates/runtime/server/tool-registry.js';

const tool = (name: string, inputSchema: ToolDefinition['inputSchema']): ToolDefinition => ({
  name,
  description: name,
  inputSchema,
  annotations: {},
  http: { method: 'GET', path: '/x', parameters: [] },
  security: [],
  access: { scopes: [[]] },
  tags: [],
  source: '/paths/~1x/get',
});

const app = (tools: ToolDefinition[]): AppDefinition => ({
  server: { name: 's', version: '1' },
  tools,
  defs: {},
  schemes: {},
  authorization: { scopesSupported: [], scopeImplies: {}, toolsList: 'filter' },
});

describe('prepareTools', () => {
  it('validates arguments against a schema that compiles', async () => {
    const [prepared] = prepareTools(app([tool('ok', { type: 'object', properties: { n: { type: 'integer' } } })]));
    const bad = await prepared!.inputSchema['~standard'].validate({ n: 'x' });
    expect('issues' in bad && bad.issues).toBeTruthy();
    const good = await prepared!.inputSchema['~standard'].validate({ n: 1 });
    expect(good).toEqual({ value: { n: 1 } });
  });

  it('accepts arguments, and warns once, when a spec schema cannot compile (a regex invalid in Unicode mode)', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const [prepared] = prepareTools(
      app([tool('odd', { type: 'object', properties: { s: { type: 'string', pattern: '(?i)abc' } } })]),
    );
    expect(await prepared!.inputSchema['~standard'].validate({ s: 'x' })).toEqual({ value: { s: 'x' } });
    await prepared!.inputSchema['~standard'].validate({ s: 'y' });
    expect(write.mock.calls.filter(([line]) => String(line).includes('does not compile'))).toHaveLength(1);
    write.mockRestore();
  });
});
