import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fromJsonSchema } from '@modelcontextprotocol/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleValue } from '../../src/emit/sample-value.js';
import { listedTool } from '../../templates/runtime/mcp/listed-tool.js';
import type { ListedTool } from '../../templates/runtime/mcp/listed-tool.js';
import type { AppDefinition, JsonSchema } from '../../templates/runtime/mcp/types.js';
import { SPECS } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';

/** openapi-mcp-generator 4.0.1's `tools/list` for the same spec (issue 8): names, descriptions and input schemas only. */
const PEER_BYTES = 1_699_528;
const GITHUB = join(SPECS, 'github-rest.json');
const present = existsSync(GITHUB);
if (!present) console.warn(`listed-tool-size: ${GITHUB} is absent; the GitHub tools/list budget is not checked.`);

describe.skipIf(!present)("GitHub's tools/list (1,223 tools) with the default outputSchemas: shallow", () => {
  let app: AppDefinition;
  let listed: ListedTool[];
  beforeAll(async () => {
    app = await appFromSpec(GITHUB);
    listed = app.tools.map((tool) =>
      listedTool(tool, app.defs, { outputSchemas: app.server.outputSchemas ?? 'shallow' }),
    );
  }, 120_000);

  it(`is at most ${PEER_BYTES.toLocaleString('en-US')} bytes over all tools, serialized as the SDK does (compact JSON)`, () => {
    const total = listed.reduce((sum, tool) => sum + Buffer.byteLength(JSON.stringify(tool)), 0);
    expect(listed).toHaveLength(1223);
    expect(total).toBeLessThanOrEqual(PEER_BYTES);
  });

  it('still gives every tool its title and annotations, and every tool with structured output its shape', () => {
    expect(listed.filter((t) => !t.title).map((t) => t.name)).toEqual([]);
    expect(listed.filter((t) => !t.annotations || Object.keys(t.annotations).length === 0).map((t) => t.name)).toEqual(
      [],
    );
    const withOutput = app.tools.filter((t) => t.outputSchema).map((t) => t.name);
    expect(withOutput.length).toBeGreaterThan(600);
    expect(listed.filter((t) => t.outputSchema?.type === 'object').map((t) => t.name)).toEqual(withOutput);
  });

  it('sends no $defs in an output schema and no _meta that carries nothing', () => {
    expect(listed.filter((t) => t.outputSchema && '$defs' in t.outputSchema).map((t) => t.name)).toEqual([]);
    expect(listed.filter((t) => '_meta' in t).map((t) => t.name)).toEqual([]);
  });

  it('lists a result valid against the whole output schema as valid against the sent one (every 8th tool with one)', async () => {
    let checked = 0;
    // Compiling all 644 whole schemas takes half a minute on a shared machine; an eighth of them, spread over the API, keeps the test cheap.
    for (const tool of app.tools.filter((t) => t.outputSchema).filter((_t, i) => i % 8 === 0)) {
      const whole = listedTool(tool, app.defs, { outputSchemas: 'full' }).outputSchema as JsonSchema;
      const sent = listed.find((t) => t.name === tool.name)?.outputSchema as JsonSchema;
      const sample = sampleValue(whole, app.defs).value;
      const wholeResult = await fromJsonSchema(whole as never)['~standard'].validate(sample);
      if ('issues' in wholeResult && wholeResult.issues) continue;
      expect(await fromJsonSchema(sent as never)['~standard'].validate(sample), tool.name).not.toHaveProperty('issues');
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  }, 120_000);
});
