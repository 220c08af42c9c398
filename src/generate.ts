import type { LoadedConfig } from './config/load-config.js';
import type { Diagnostic } from './diagnostics.js';
import type { EmittedFile } from './emit/emit-project.js';
import { emitProject } from './emit/emit-project.js';
import type { LoadedDocument } from './load/loaded-document.js';
import { packageName } from './model/build-model.js';
import type { McpModel } from './model/types.js';
import type { OptionFlags, OptionOrigins, ResolvedOptions } from './options.js';
import { planDocument } from './plan/plan-document.js';

export interface GenerateResult {
  readonly model: McpModel;
  readonly options: ResolvedOptions;
  /** Where each option came from: a flag (or library argument), the config file, or a default. */
  readonly optionOrigins: OptionOrigins;
  /** Empty when there are errors. */
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * model -> plan (planDocument, shared with `inspect`) -> emit -> format, in memory. Nothing here
 * touches the output directory. `flags` win over the config file, which wins over the defaults.
 */
export async function generateFromDocument(
  loaded: LoadedDocument,
  flags: OptionFlags = {},
  config: Pick<LoadedConfig, 'config' | 'file'> = { config: {} },
): Promise<GenerateResult> {
  const { model, options, origins, plan, diagnostics } = planDocument(loaded, flags, config);
  // Schema validation may still be running (loadDocumentLazily); it only adds warnings, so it
  // cannot stop emitting: wait for it only to report.
  const files = plan ? await emitProject(plan) : [];
  return { model, options, optionOrigins: origins, files, diagnostics: await diagnostics() };
}

export { packageName };
