import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { loadDocument } from '../../src/load/index.js';
import { buildModel } from '../../src/model/build-model.js';

/** The AppDefinition a generated project would hand the runtime, built in memory from a spec. */
export async function appFromSpec(spec: string): Promise<AppDefinition> {
  const model = buildModel(await loadDocument(spec));
  const schemes = Object.fromEntries(model.schemes.filter((s) => s.upstream).map((s) => [s.name, s.upstream!]));
  return { server: model.server, tools: model.tools, defs: model.defs, schemes, authorization: model.authorization };
}
