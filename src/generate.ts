import { createHash } from 'node:crypto';
import type { LoadedConfig } from './config/load-config.js';
import type { Diagnostic } from './diagnostics.js';
import { hasErrors } from './diagnostics.js';
import type { EmittedFile } from './emit/emit-project.js';
import { emitProject } from './emit/emit-project.js';
import { runtimeFiles } from './emit/runtime-files.js';
import type { LoadedDocument } from './load/loaded-document.js';
import { settledDiagnostics } from './load/loaded-document.js';
import { buildModel, packageName } from './model/build-model.js';
import { lintSecurity } from './model/lint.js';
import type { McpModel } from './model/types.js';
import { resolveOptions } from './options.js';
import type { ResolvedOptions } from './options.js';
import { planProject } from './plan/plan-project.js';

export interface GenerateResult {
  readonly model: McpModel;
  readonly options: ResolvedOptions;
  /** Empty when there are errors. */
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** model -> plan -> emit -> format, in memory. Nothing here touches the output directory. */
export async function generateFromDocument(
  loaded: LoadedDocument,
  overrides: Partial<ResolvedOptions> = {},
  config: Pick<LoadedConfig, 'config' | 'file'> = { config: {} },
): Promise<GenerateResult> {
  const model = buildModel(loaded, config.config, config.file !== undefined ? { configFile: config.file } : {});
  const options = resolveOptions({
    specLabel: overrides.specLabel ?? loaded.source,
    packageName: overrides.packageName ?? `${model.server.name}-mcp`,
    // The config file's tool mode, unless the caller (--tool-mode) names one.
    ...(config.config.toolMode ? { toolMode: config.config.toolMode } : {}),
    // The lock's options hash covers the configuration too (same file, same hash).
    ...(Object.keys(config.config).length > 0
      ? { configHash: createHash('sha256').update(JSON.stringify(config.config)).digest('hex') }
      : {}),
    ...overrides,
  });
  const lint = lintSecurity(model.tools, model.schemes, model.authorization).map((d) => ({
    ...d,
    file: loaded.source,
  }));
  // Schema validation may still be running (loadDocumentLazily); it only adds warnings, so it
  // cannot stop emitting: wait for it only to report. Only the diagnostics are kept, so the
  // parsed document is not held while the project is emitted.
  const loadDiagnostics = settledDiagnostics({
    diagnostics: loaded.diagnostics,
    ...(loaded.pending ? { pending: loaded.pending } : {}),
  });
  if (hasErrors([...loaded.diagnostics, ...model.diagnostics, ...lint])) {
    return { model, options, files: [], diagnostics: [...(await loadDiagnostics), ...model.diagnostics, ...lint] };
  }
  const plan = planProject(model, options, runtimeFiles());
  const files = await emitProject(plan);
  return { model, options, files, diagnostics: [...(await loadDiagnostics), ...model.diagnostics, ...lint] };
}

export { packageName };
