import type { LoadedConfig } from '../config/load-config.js';
import type { Diagnostic } from '../diagnostics.js';
import { hasErrors } from '../diagnostics.js';
import { runtimeFiles } from '../emit/runtime-files.js';
import type { LoadedDocument } from '../load/loaded-document.js';
import { settledDiagnostics } from '../load/loaded-document.js';
import { buildModel } from '../model/build-model.js';
import { lintSecurity } from '../model/lint.js';
import type { McpModel } from '../model/types.js';
import type { OptionFlags, OptionOrigins, ResolvedOptions } from '../options.js';
import { resolveOptions } from '../options.js';
import type { ProjectPlan } from './plan-project.js';
import { planProject } from './plan-project.js';

/** A loaded spec, modelled, linted and planned: what `generate` emits and `inspect` shows. */
export interface DocumentPlan {
  readonly model: McpModel;
  readonly options: ResolvedOptions;
  /** Where each option came from (flag, config file or default). */
  readonly origins: OptionOrigins;
  /** Absent when the load, the model or the lint has errors: then there is nothing to emit. */
  readonly plan?: ProjectPlan;
  /**
   * Load, model and lint diagnostics, in that order, once the load's background schema
   * validation has settled. It only adds warnings, so waiting for it never blocks the plan.
   */
  readonly diagnostics: () => Promise<readonly Diagnostic[]>;
  /**
   * The same without the background validation's warnings (so it never waits): whether there is
   * a plan is decided on these, which the validation cannot change (it only adds `SPEC_INVALID`
   * warnings, validate-document.ts).
   */
  readonly known: readonly Diagnostic[];
}

/**
 * load -> model -> plan, shared by `generate` (CLI and library) and `inspect`, so they resolve
 * options, report and lint the same way. Pure but for reading the runtime's file list.
 */
export function planDocument(
  loaded: LoadedDocument,
  flags: OptionFlags = {},
  config: Pick<LoadedConfig, 'config' | 'file'> = { config: {} },
): DocumentPlan {
  const model = buildModel(loaded, config.config, config.file !== undefined ? { configFile: config.file } : {});
  const { options, origins } = resolveOptions({
    flags,
    config: config.config,
    defaults: { specLabel: loaded.source, packageName: `${model.server.name}-mcp` },
  });
  const lint = lintSecurity(model.tools, model.schemes, model.authorization).map((d) => ({
    ...d,
    file: loaded.source,
  }));
  // Only the diagnostics are kept, so the parsed document is not held while the project is emitted.
  const loadDiagnostics = settledDiagnostics({
    diagnostics: loaded.diagnostics,
    ...(loaded.pending ? { pending: loaded.pending } : {}),
  });
  const diagnostics = async () => [...(await loadDiagnostics), ...model.diagnostics, ...lint];
  const known = [...loaded.diagnostics, ...model.diagnostics, ...lint];
  if (hasErrors(known)) return { model, options, origins, diagnostics, known };
  return { model, options, origins, plan: planProject(model, options, runtimeFiles()), diagnostics, known };
}
