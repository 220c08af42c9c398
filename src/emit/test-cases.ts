import type { ToolModel, McpModel } from '../model/types.js';
import { sampleValue } from './sample-value.js';

/**
 * One entry of a generated project's `test/cases.gen.ts`, whose `ToolCase` interface
 * (templates/project/cases.gen.ts.hbs) is this shape as the project sees it;
 * test/regen/edited-files.test.ts type-checks the emitted data against it.
 */
export interface GeneratedTestCase {
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
  readonly method: string;
  readonly path: string;
  readonly query: readonly string[];
  readonly jsonBody?: unknown;
  readonly response: unknown;
  readonly expectOk: boolean;
  /** False for HEAD: the stub's answer carries no body the result could quote (RFC 9110 §9.3.2). */
  readonly expectBody: boolean;
}

/**
 * Test cases for the generated project's own tests (test/cases.gen.ts, rewritten every run, so an
 * edited test/server.test.ts never calls a tool that is gone): tools whose request the
 * generator can predict exactly (primitive path and required query
 * parameters, JSON or no body), with arguments sampled from their schemas.
 */
export function testCases(model: McpModel, limit: number): GeneratedTestCase[] {
  const cases: GeneratedTestCase[] = [];
  for (const tool of model.tools) {
    if (cases.length >= limit) break;
    const c = testCase(tool, model);
    if (c) cases.push(c);
  }
  return cases;
}

function testCase(tool: ToolModel, model: McpModel): GeneratedTestCase | undefined {
  const body = tool.http.body;
  if (body && body.encoding !== 'json') return undefined;
  const input = sampleValue(tool.inputSchema, model.defs);
  if (!input.certain || typeof input.value !== 'object' || input.value === null) return undefined;
  const args = input.value as Record<string, unknown>;
  let path = tool.http.path;
  const query: string[] = [];
  for (const p of tool.http.parameters) {
    if (!(p.argument in args)) continue;
    const value = args[p.argument];
    const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (p.in === 'path') {
      if (!primitive || p.style !== 'simple' || p.contentType) return undefined;
      path = path.split(`{${p.name}}`).join(encodeURIComponent(String(value)));
    } else if (p.in === 'query') {
      if (!primitive || p.contentType || p.style !== 'form') return undefined;
      query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(String(value))}`);
    }
  }
  const response = tool.outputSchema
    ? sampleValue(tool.outputSchema, model.defs)
    : { value: { ok: true }, certain: true };
  return {
    tool: tool.name,
    arguments: args,
    method: tool.http.method,
    path,
    query,
    ...(body && body.argument in args ? { jsonBody: args[body.argument] } : {}),
    response: response.value,
    expectOk: response.certain,
    expectBody: tool.http.method !== 'HEAD',
  };
}
