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
  const { diagnostics, ...result } = await generateUnsettled(loaded, flags, config);
  return { ...result, diagnostics: await diagnostics() };
}

/** `GenerateResult` before the background schema validation has settled. */
export interface UnsettledGenerateResult extends Omit<GenerateResult, 'diagnostics'> {
  /** Every diagnostic, once the validation has settled (`GenerateResult.diagnostics`). */
  readonly diagnostics: () => Promise<readonly Diagnostic[]>;
  /**
   * Every diagnostic but the validation's, which only adds `SPEC_INVALID` warnings: whether there
   * are errors (with `--strict` too: it raises lint warnings only) is known from these.
   */
  readonly known: readonly Diagnostic[];
}

/**
 * `generateFromDocument` without waiting for the schema validation (loadDocumentLazily): the
 * CLI writes the project meanwhile and settles it before it reports (issue 8: the validation
 * worker and the main thread finish about together on GitHub's spec).
 */
export async function generateUnsettled(
  loaded: LoadedDocument,
  flags: OptionFlags = {},
  config: Pick<LoadedConfig, 'config' | 'file'> = { config: {} },
): Promise<UnsettledGenerateResult> {
  const { model, options, origins, plan, diagnostics, known } = planDocument(loaded, flags, config);
  // Schema validation may still be running (loadDocumentLazily); it only adds warnings, so it
  // cannot stop emitting: wait for it only to report.
  const files = plan ? await emitProject(plan) : [];
  return { model, options, optionOrigins: origins, files, diagnostics, known };
}

export { packageName };
