import { describe, expect, it } from 'vitest';
import { resolveToolMode } from '../../../templates/runtime/server/tool-mode.js';

describe('resolveToolMode: the one place the default is decided', () => {
  it.each([
    ['MCP_TOOL_MODE wins over the generated data', { toolMode: 'static' }, 'dynamic', 'dynamic'],
    ['the generated data when MCP_TOOL_MODE is unset', { toolMode: 'dynamic' }, undefined, 'dynamic'],
    ['static when neither says', {}, undefined, 'static'],
  ] as const)('%s', (_name, app, configured, want) => {
    expect(resolveToolMode(app, configured)).toBe(want);
  });
});
