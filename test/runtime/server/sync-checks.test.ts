import { describe, expect, it } from 'vitest';
import { checkArguments } from '../../../templates/runtime/server/invoke-tool.js';
import type { PreparedTool } from '../../../templates/runtime/server/tool-registry.js';
import { prepareTool } from '../../../templates/runtime/server/tool-registry.js';
import { tool } from '../support/recording-server.js';

// A call is not held back a tick per check: ajv's compiled validators are synchronous, so the
// argument check answers synchronously; a Standard Schema validator that is asynchronous still works.

const definition = tool(
  { path: '/x' },
  { inputSchema: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } },
);

describe('checkArguments', () => {
  it('answers synchronously for a compiled validator', () => {
    const tool = prepareTool(definition, {});
    const valid = checkArguments(tool, { id: 2 });
    expect(valid).not.toBeInstanceOf(Promise);
    expect(valid).toEqual({ ok: true, value: { id: 2 } });
    const invalid = checkArguments(tool, { id: 0 });
    expect(invalid).not.toBeInstanceOf(Promise);
    expect(invalid).toMatchObject({ ok: false });
  });

  it('awaits a validator that is asynchronous', async () => {
    const base = prepareTool(definition, {});
    const tool: PreparedTool = {
      ...base,
      inputSchema: {
        '~standard': {
          ...base.inputSchema['~standard'],
          validate: async (data: unknown) =>
            (data as { id?: unknown }).id === 1
              ? { value: data as Record<string, unknown> }
              : { issues: [{ message: 'not one', path: ['id'] }] },
        },
      },
    };
    const pending = checkArguments(tool, { id: 2 });
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ ok: false, issues: ['id: not one'] });
    expect(await checkArguments(tool, { id: 1 })).toEqual({ ok: true, value: { id: 1 } });
  });
});
