/** The library surface: `import { generate } from '@openapi-to-mcp/cli'`. */
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
export type { OptionFlags, OptionOrigin, OptionOrigins, ResolvedOptions } from './options.js';
export type { GeneratorConfig, OperationSelector, RoleGrant, ScopeMapping, ToolOverride } from './config/types.js';
export type { LoadedConfig } from './config/load-config.js';
export { loadConfig } from './config/load-config.js';
export { validateConfig, CONFIG_SCHEMA_PATH } from './config/validate-config.js';

import { generateFromDocument } from './generate.js';
import type { GenerateResult } from './generate.js';
import { loadDocumentLazily } from './load/index.js';
import type { OptionFlags } from './options.js';
import type { GeneratorConfig } from './config/types.js';

/**
 * Load a spec (path, URL or `-`) and generate the project in memory: files and diagnostics, nothing written.
 * `config` is a validated configuration (see `validateConfig`); without it none is read from disk.
 * Options resolve as on the command line: `options` > `config` > defaults (options.ts).
 */
export async function generate(
  spec: string,
  options: OptionFlags = {},
  config: GeneratorConfig = {},
): Promise<GenerateResult> {
  return generateFromDocument(await loadDocumentLazily(spec), options, { config });
}
