import { dirname, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { ToolMode } from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedConfig } from '../config/load-config.js';
import { FatalDiagnosticsError, hasErrors } from '../diagnostics.js';
import { GENERATOR_VERSION } from '../emit/versions.js';
import type { LoadedDocument } from '../load/loaded-document.js';
import type { EmittedFile } from '../emit/emit-project.js';
import type { LockInputs } from '../write/lock-file.js';
import { LOCK_FILE } from '../write/lock-file.js';
import type { ProjectChanges } from '../write/project-changes.js';
import { editDiagnostics, isStale } from '../write/project-changes.js';
import type { WriteOptions } from '../write/write-project.js';
import { ciProjectPath } from './ci-root.js';
import { generateFlags } from './generate-flags.js';
import { formatChanges } from './print-changes.js';
import { formatTable, inspectRows } from './inspect-table.js';
import { formatDiagnostics, useColor } from './print-diagnostics.js';

// The stages (and prettier, swagger-parser, ajv, yaml behind them) are imported when a command
// runs, not at start: `--version` and `--help` must not pay for them (issue 8: 570 ms -> instant).
const stages = {
  config: () => import('../config/load-config.js'),
  findConfig: () => import('../config/find-config.js'),
  generate: () => import('../generate.js'),
  load: () => import('../load/index.js'),
  plan: () => import('../plan/plan-document.js'),
  lint: () => import('../model/lint.js'),
  options: () => import('../options.js'),
  write: () => import('../write/write-project.js'),
};

/** DESIGN.md §1: 0 ok, 1 the spec or config has errors, 2 usage error, 3 --check found drift. */
export const EXIT = { ok: 0, errors: 1, usage: 2, drift: 3 } as const;

interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  let quiet = false;
  const print = (all: readonly Diagnostic[], verbose: boolean) => {
    const diagnostics = quiet ? all.filter((d) => d.severity === 'error') : all;
    if (diagnostics.length > 0)
      io.stderr.write(`${formatDiagnostics(diagnostics, { color: useColor(io.stderr, io.env), verbose })}\n`);
  };

  const program = new Command('openapi-to-mcp')
    .description('Turn an OpenAPI document into an authorized TypeScript MCP server project.')
    .version(GENERATOR_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  program
    .command('generate')
    .description('write (or update) an MCP server project from <spec>: a path, an http(s) URL, or - for stdin')
    .argument('<spec>', 'OpenAPI 3.x or Swagger 2.0 document (YAML or JSON)')
    // Not `requiredOption`: commander checks those before arguments, so `generate` alone would ask for -o, not the spec.
    .option('-o, --out <dir>', 'the project folder to write (required)')
    .option('--name <package>', 'npm package name of the generated project')
    .option(
      '--force',
      'write into a non-empty folder openapi-to-mcp did not create, replace a project of another spec, and bring back deleted scaffold files',
    )
    .option('--config <file>', 'the configuration file (default: openapi-to-mcp.config.{json,yaml,yml} beside <spec>)')
    .option('--strict', 'treat security lint warnings as errors (nothing is written)')
    .option(
      '--ci-root <dir>',
      'the root of the repository the project is in, when it is a subfolder: the CI workflow runs there (config: ci.root)',
    )
    .option('--check', 'write nothing; exit 3 when the project is stale (regenerating would change it), 0 when current')
    .option('--dry-run', 'write nothing; print what regenerating would change')
    .addOption(
      new Option(
        '--tool-mode <mode>',
        'static: list every tool; dynamic: list search_tools, describe_tool and call_tool instead (large APIs); MCP_TOOL_MODE overrides it at run time',
      ).choices(['static', 'dynamic']),
    )
    .option('--json', 'print the result and diagnostics as JSON')
    .option('--verbose', 'also print info diagnostics')
    .option('--quiet', 'print errors only: no warnings, progress or summary')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 the spec or config has errors or writing failed, 2 usage error, 3 --check found the project stale.',
    )
    .action(async (spec: string, opts: GenerateFlags) => {
      if (opts.out === undefined) {
        io.stderr.write(
          'error: generate needs -o <dir>, the project folder to write (e.g. -o my-api-mcp)\n(run with --help for usage)\n',
        );
        exitCode = EXIT.usage;
        return;
      }
      quiet = opts.quiet === true;
      // Large specs take seconds to load and model: say so on a terminal, after a second (not with --quiet).
      const progress = quiet ? () => {} : startProgress(io, `generating from ${spec}`);
      try {
        await generateCommand(spec, { ...opts, out: opts.out });
      } finally {
        progress();
      }
    });

  async function generateCommand(spec: string, opts: GenerateFlags & { out: string }): Promise<void> {
    const inputs = await configAndSpec(spec, opts);
    if (!inputs) return;
    const { config, loaded: doc } = inputs;
    // Read now: `doc` (and the parsed document in it) must not stay alive while the project is emitted.
    const specHash = doc.hash;
    const [{ generateUnsettled }, { strictLint }, { optionsHash }] = await Promise.all([
      stages.generate(),
      stages.lint(),
      stages.options(),
    ]);
    const outDir = resolve(io.cwd, opts.out);
    // The flag is relative to the working directory; the config key to the config file's folder.
    const configRoot = config.config.ci?.root;
    const ciRoot =
      opts.ciRoot !== undefined
        ? resolve(io.cwd, opts.ciRoot)
        : configRoot !== undefined && config.file !== undefined
          ? resolve(io.cwd, dirname(config.file), configRoot)
          : undefined;
    const ci = ciRoot === undefined ? { project: undefined } : ciProjectPath(ciRoot, outDir);
    if ('error' in ci) {
      io.stderr.write(`error: ${opts.ciRoot !== undefined ? '--ci-root' : 'ci.root'}: ${ci.error}\n`);
      exitCode = EXIT.usage;
      return;
    }
    const result = await generateUnsettled(
      doc,
      {
        ...generateFlags(spec, opts, io.cwd, outDir),
        ...(ci.project !== undefined
          ? { ciProject: ci.project, ...(opts.ciRoot !== undefined ? { explicitCiRoot: true } : {}) }
          : {}),
      },
      config,
    );
    const strictly = (all: readonly Diagnostic[]) => (opts.strict ? strictLint(all) : all);
    // Whether there are errors is known before the background schema validation settles: it only
    // adds SPEC_INVALID warnings, which --strict leaves as they are. So the project is written
    // while it runs, and everything is reported, in the usual order, once it has settled.
    if (hasErrors(strictly(result.known))) {
      const generated = strictly(await result.diagnostics());
      report(opts.json, generated, { out: opts.out, tools: result.model.tools.length, files: 0 });
      exitCode = EXIT.errors;
      return;
    }
    const { specPath } = result.options;
    const lockInputs = {
      specHash,
      optionsHash: optionsHash(result.options),
      ...(specPath !== undefined ? { spec: specPath } : {}),
    };
    const mode = opts.check ? 'check' : opts.dryRun ? 'dry-run' : 'write';
    const writer = await stages.write();
    const outcome =
      mode === 'write'
        ? writeOrReport(writer, outDir, opts.out, result.files, {
            ...lockInputs,
            ...(opts.force ? { force: true } : {}),
          })
        : diffOrReport(writer, outDir, opts.out, result.files, lockInputs, mode === 'dry-run' && !opts.force);
    const generated = strictly(await result.diagnostics());
    const diagnostics = [...generated, ...outcome.diagnostics];
    const stale = outcome.changes ? isStale(outcome.changes) : undefined;
    report(opts.json, diagnostics, {
      out: opts.out,
      tools: result.model.tools.length,
      files: outcome.written,
      ...(mode === 'check' && stale !== undefined ? { stale } : {}),
      ...(outcome.changes ? { changes: outcome.changes } : {}),
    });
    if (hasErrors(diagnostics)) exitCode = EXIT.errors;
    else if (mode === 'check' && stale) exitCode = EXIT.drift;
    if (opts.json || hasErrors(diagnostics) || !outcome.changes) return;
    if (mode === 'write') {
      if (!quiet) io.stderr.write(`wrote ${opts.out}: ${result.model.tools.length} tools, ${outcome.written} files\n`);
    } else io.stdout.write(`${formatChanges(opts.out, outcome.changes, mode)}\n`);
  }

  program
    .command('inspect')
    .description('show the plan for <spec>: one row per tool with its method, path and required scopes')
    .argument('<spec>', 'OpenAPI 3.x or Swagger 2.0 document (YAML or JSON), a URL, or -')
    .option('--config <file>', 'the configuration file (default: openapi-to-mcp.config.{json,yaml,yml} beside <spec>)')
    .option('--strict', 'treat security lint warnings as errors (exit 1)')
    .option('--json', 'print the plan and diagnostics as JSON (every cell in full)')
    .option('--verbose', 'also print info diagnostics')
    .option('--quiet', 'print errors only')
    .action(
      async (
        spec: string,
        opts: { config?: string; strict?: boolean; json?: boolean; verbose?: boolean; quiet?: boolean },
      ) => {
        quiet = opts.quiet === true;
        const inputs = await configAndSpec(spec, opts);
        if (!inputs) return;
        const { config, loaded } = inputs;
        const [{ planDocument }, { strictLint }] = await Promise.all([stages.plan(), stages.lint()]);
        // The same path as generate (options, model, lint), so inspect shows what generate would write.
        const { model, diagnostics: settled } = planDocument(loaded, {}, config);
        const all = await settled();
        const diagnostics = opts.strict ? strictLint(all) : all;
        if (opts.json) {
          io.stdout.write(
            `${JSON.stringify({ server: model.server, tools: inspectRows(model), diagnostics }, null, 2)}\n`,
          );
        } else {
          // On a terminal, rows fit its width (long cells end in "…"); piped or --json, every cell is whole.
          io.stdout.write(`${formatTable(inspectRows(model), io.stdout.isTTY ? io.stdout.columns : undefined)}\n`);
          print(diagnostics, opts.verbose === true);
        }
        if (hasErrors(diagnostics)) exitCode = EXIT.errors;
      },
    );

  /** The configuration, then the spec; either failing is reported (exit 1) and gives undefined. */
  async function configAndSpec(spec: string, opts: { config?: string; json?: boolean }) {
    const config = await configFor(spec, opts.config, io);
    if (hasErrors(config.diagnostics)) {
      report(opts.json, config.diagnostics, {});
      exitCode = EXIT.errors;
      return undefined;
    }
    const loaded = await load(spec, io);
    if (!('document' in loaded)) {
      report(opts.json, loaded.diagnostics, {});
      exitCode = EXIT.errors;
      return undefined;
    }
    return { config, loaded };
  }

  function report(json: boolean | undefined, diagnostics: readonly Diagnostic[], extra: object): void {
    if (json) io.stdout.write(`${JSON.stringify({ ok: !hasErrors(diagnostics), ...extra, diagnostics }, null, 2)}\n`);
    else print(diagnostics, argv.includes('--verbose'));
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Commander exits 0 for --help, --version and `help`; 1 for a bare call or `help <unknown>`: usage errors.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // Last resort: a bug must not reach the user as a stack trace.
    io.stderr.write(
      `error: ${error instanceof Error ? error.message : String(error)}\n  hint: this is likely a bug in openapi-to-mcp; please report it with the command you ran.\n`,
    );
    return EXIT.errors;
  }
  return exitCode;
}

interface GenerateFlags {
  out?: string;
  name?: string;
  force?: boolean;
  config?: string;
  ciRoot?: string;
  strict?: boolean;
  toolMode?: ToolMode;
  check?: boolean;
  dryRun?: boolean;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

interface Outcome {
  readonly written: number;
  readonly changes?: ProjectChanges;
  readonly diagnostics: readonly Diagnostic[];
}

/** `writeProject` reports what it expects; anything it throws (say `-o` names a file) becomes OUTPUT_WRITE_FAILED. */
type Writer = Awaited<ReturnType<typeof stages.write>>;

function writeOrReport(
  writer: Writer,
  out: string,
  label: string,
  files: readonly EmittedFile[],
  options: WriteOptions,
): Outcome {
  try {
    return writer.writeProject(out, files, options);
  } catch (error) {
    return { written: 0, diagnostics: [writeFailed(label, error)] };
  }
}

/**
 * `--check` and `--dry-run`: the changes, nothing written. A dry run into a folder that a real run
 * would refuse says so (OUTPUT_NOT_EMPTY); `--check` just reports every file as added.
 */
function diffOrReport(
  writer: Writer,
  out: string,
  label: string,
  files: readonly EmittedFile[],
  inputs: LockInputs,
  refuseForeign: boolean,
): Outcome {
  try {
    const diff = writer.diffProject(out, files, inputs);
    const refused: Diagnostic[] =
      refuseForeign && diff.foreign
        ? [
            {
              code: 'OUTPUT_NOT_EMPTY',
              severity: 'error',
              message: `${label} is not empty and has no ${LOCK_FILE}, so openapi-to-mcp did not create it.`,
              hint: 'Choose an empty or new folder, or pass --force to write into it anyway.',
            },
          ]
        : [];
    return { written: 0, changes: diff.changes, diagnostics: [...refused, ...editDiagnostics(diff.changes, false)] };
  } catch (error) {
    return { written: 0, diagnostics: [writeFailed(label, error)] };
  }
}

function writeFailed(label: string, error: unknown): Diagnostic {
  const message = `Could not write ${label}: ${error instanceof Error ? error.message : String(error)}`;
  return {
    code: 'OUTPUT_WRITE_FAILED',
    severity: 'error',
    message,
    hint: 'Pass -o a folder, or a path that does not exist yet, that you can write to.',
  };
}

async function load(spec: string, io: Io): Promise<LoadedDocument | { diagnostics: readonly Diagnostic[] }> {
  try {
    // Validation finishes in the background; generateFromDocument and inspect settle it before reporting.
    const { loadDocumentLazily } = await stages.load();
    return await loadDocumentLazily(spec, { cwd: io.cwd, stdin: io.stdin });
  } catch (error) {
    if (error instanceof FatalDiagnosticsError) return { diagnostics: error.diagnostics };
    throw error;
  }
}

/** The config beside a local spec, or `--config`; its errors stop the run before anything is loaded or written. */
async function configFor(spec: string, configPath: string | undefined, io: Io): Promise<LoadedConfig> {
  // Most runs have no config file: finding none needs neither its YAML parser nor ajv (~60-90 ms to load, issue 8).
  if (configPath === undefined) {
    const found = (await stages.findConfig()).findConfig(spec, io.cwd);
    if (found.diagnostics.length > 0 || found.file === undefined) return { config: {}, diagnostics: found.diagnostics };
  }
  const { loadConfig } = await stages.config();
  return loadConfig({ spec, cwd: io.cwd, ...(configPath !== undefined ? { configPath } : {}) });
}

/** DESIGN.md §1: a progress line on specs that take longer than a second (TTY only). */
export function startProgress(io: Pick<Io, 'stderr'>, label: string): () => void {
  if (!io.stderr.isTTY) return () => {};
  const timer = setTimeout(() => io.stderr.write(`${label}...\n`), 1000);
  return () => clearTimeout(timer);
}
