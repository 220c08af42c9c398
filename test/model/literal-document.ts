import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../../src/model/build-model.js';
import type { McpModel, ToolModel } from '../../src/model/types.js';
import { loadDocument } from '../../src/load/index.js';
import type { LoadedDocument } from '../../src/load/index.js';

/** Model tests build their input as literals: the model stage is pure, it needs no loader. */
export function loaded(document: Record<string, unknown>, dialect: '3.0' | '3.1' = '3.1'): LoadedDocument {
  const version = dialect === '3.0' ? '3.0.3' : '3.1.0';
  return {
    document: {
      openapi: version,
      info: { title: 'Test API', version: '1.0.0' },
      servers: [{ url: 'https://api.example.com' }],
      ...document,
    },
    dialect,
    sourceVersion: version,
    source: 'literal',
    hash: 'x',
    diagnostics: [],
  };
}

/** A minimal operation: one 200 response and whatever `extra` says. */
export function operation(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { responses: { '200': { description: 'OK' } }, ...extra };
}

export function model(document: Record<string, unknown>, dialect: '3.0' | '3.1' = '3.1'): McpModel {
  return buildModel(loaded(document, dialect));
}

/** The one tool of a model built from a single operation. */
export function onlyTool(document: Record<string, unknown>, dialect: '3.0' | '3.1' = '3.1'): ToolModel {
  const { tools } = model(document, dialect);
  if (tools.length !== 1) throw new Error(`expected one tool, got ${tools.length}`);
  return tools[0] as ToolModel;
}

export function toolNamed(built: McpModel, name: string): ToolModel {
  const tool = built.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool "${name}" among ${built.tools.map((t) => t.name).join(', ')}`);
  return tool;
}

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** Integration rows: a one-feature fixture through the real loader. */
export async function modelOfFixture(name: string): Promise<McpModel> {
  return buildModel(await loadDocument(path.join(fixtures, name)));
}

/** Deterministic Fisher-Yates (a small LCG), so a failure reproduces. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
