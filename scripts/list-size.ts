import { resolve } from 'node:path';
// Where the bytes of `tools/list` go, per field of the listed tools, for each way of sending output
// schemas. Generates the project in memory and lists every tool with the runtime's `listedTool`,
// serialized as the SDK does (compact JSON). Figures only, no thresholds (the budget test is
// test/runtime/listed-tool-size.test.ts). Usage, from the repository root:
//   npx tsc -p tsconfig.bench.json && node .cache/bench/scripts/list-size.js [spec]
import { existsSync } from 'node:fs';
import { generate } from '../src/index.js';
import { listedTool } from '../templates/runtime/mcp/listed-tool.js';
import type { ListedTool } from '../templates/runtime/mcp/listed-tool.js';
import type { OutputSchemaMode, ToolDefinition } from '../templates/runtime/mcp/types.js';

const spec = process.argv[2] ?? resolve('../shared/specs/github-rest.json');
if (!existsSync(spec)) {
  console.error(`list-size: no spec at ${spec}`);
  process.exit(2);
}
const result = await generate(spec, { toolMode: 'static' });
const { tools, defs } = result.model;
const bytes = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
const n = (value: number) => value.toLocaleString('en-US');

console.log(
  `${spec}: ${n(tools.length)} tools, ${n(tools.filter((t) => t.outputSchema).length)} with an output schema, ${n(Object.keys(defs).length)} shared definitions\n`,
);
for (const mode of ['full', 'shallow', 'none'] as const) report(mode, tools);

function report(mode: OutputSchemaMode, all: readonly ToolDefinition[]): void {
  const fields = new Map<string, number>();
  const add = (field: string, size: number) => fields.set(field, (fields.get(field) ?? 0) + size);
  let total = 0;
  for (const tool of all) {
    const listed: ListedTool = listedTool(tool, defs, { outputSchemas: mode });
    const size = bytes(listed);
    total += size;
    let counted = 0;
    for (const [field, value] of Object.entries(listed)) {
      if (field === 'inputSchema' || field === 'outputSchema') {
        const { $defs, ...body } = value as Record<string, unknown>;
        add(`${field} (top)`, bytes(body));
        add(`${field} $defs`, bytes($defs));
        counted += bytes(body) + bytes($defs);
      } else {
        add(field, bytes(value));
        counted += bytes(value);
      }
    }
    add('keys and punctuation', size - counted);
  }
  console.log(
    `outputSchemas: ${mode}: ${n(total)} bytes (${((total / 1_699_528) * 100).toFixed(0)}% of openapi-mcp-generator's 1,699,528)`,
  );
  for (const [field, size] of [...fields].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${field.padEnd(22)} ${n(size).padStart(11)}  ${((size / total) * 100).toFixed(1).padStart(5)}%`);
  }
  console.log('');
}
