/** The library surface: `import { generate } from 'openapi-to-mcp'`. */
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.js';
export { DIAGNOSTIC_CODES, FatalDiagnosticsError } from './diagnostics.js';
export type { EmittedFile } from './emit/emit-project.js';
export type { GenerateResult } from './generate.js';
export { generateFromDocument } from './generate.js';
export { loadDocument } from './load/index.js';
export type { LoadedDocument } from './load/loaded-document.js';
export { buildModel } from './model/build-model.js';
export type { McpModel, ToolModel } from './model/types.js';
export { run } from './cli/main.js';

import { generateFromDocument } from './generate.js';
import type { GenerateResult } from './generate.js';
import { loadDocument } from './load/index.js';
import type { ResolvedOptions } from './options.js';

/** Load a spec (path, URL or `-`) and generate the project in memory: files and diagnostics, nothing written. */
export async function generate(spec: string, options: Partial<ResolvedOptions> = {}): Promise<GenerateResult> {
  return generateFromDocument(await loadDocument(spec), options);
}
