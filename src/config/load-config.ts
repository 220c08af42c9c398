import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { findConfig } from './find-config.js';
import { parseConfig } from './parse-config.js';
import type { GeneratorConfig } from './types.js';
import { validateConfig } from './validate-config.js';

export interface LoadedConfig {
  /** `{}` when there is no file or it has errors. */
  readonly config: GeneratorConfig;
  /** The file the config came from, as diagnostics name it. */
  readonly file?: string;
  /** Errors mean: stop, write nothing (exit 1). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadConfigOptions {
  /** The spec as given on the command line: a path, a URL or `-`. */
  readonly spec: string;
  /** `--config`: wins over discovery. */
  readonly configPath?: string;
  readonly cwd: string;
}

/** A config is a few kilobytes; anything past this is not one. */
const MAX_BYTES = 1024 * 1024;

/** Finds (or takes `--config`), reads, parses and validates the generator configuration. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  let file = options.configPath;
  if (file === undefined) {
    const found = findConfig(options.spec, options.cwd);
    if (found.diagnostics.length > 0 || found.file === undefined) return { config: {}, diagnostics: found.diagnostics };
    file = found.file;
  }
  let text: string;
  try {
    const absolute = resolve(options.cwd, file);
    if (!statSync(absolute).isFile()) throw new Error('it is not a file');
    if (statSync(absolute).size > MAX_BYTES) throw new Error(`it is larger than ${MAX_BYTES} bytes`);
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
    return {
      config: {},
      file,
      diagnostics: [
        {
          code: 'CONFIG_NOT_FOUND',
          severity: 'error',
          message: `Cannot read the configuration file ${file}: ${reason}`,
          file,
          hint: 'Check the path given to --config (relative paths start at the working directory).',
        },
      ],
    };
  }
  const parsed = parseConfig(text, file);
  if (!parsed.ok) return { config: {}, file, diagnostics: parsed.diagnostics };
  const validated = validateConfig(parsed.value, file, parsed.locate);
  if (!validated.ok) return { config: {}, file, diagnostics: validated.diagnostics };
  return { config: validated.config, file, diagnostics: [] };
}
