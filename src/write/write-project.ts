import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { EmittedFile } from '../emit/emit-project.js';
import { GENERATOR_VERSION } from '../emit/versions.js';

export const LOCK_FILE = 'openapi-to-mcp.lock.json';

export interface WriteOptions {
  readonly force?: boolean;
  readonly specHash: string;
}

export interface WriteReport {
  readonly written: number;
  readonly removed: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

interface Lock {
  readonly generator: string;
  readonly version: string;
  readonly specHash: string;
  readonly files: Record<string, string>;
}

/**
 * The only stage that writes. Every file is staged in a temporary folder
 * beside the output and then renamed into place, so a failure while staging
 * leaves the previous project untouched. Refuses a non-empty folder that has
 * no lock file (one we did not create) unless `force`.
 */
export function writeProject(outDir: string, files: readonly EmittedFile[], options: WriteOptions): WriteReport {
  const out = resolve(outDir);
  const previous = readLock(out);
  if (!previous && existsSync(out) && readdirSync(out).length > 0 && !options.force) {
    return {
      written: 0,
      removed: [],
      diagnostics: [
        {
          code: 'OUTPUT_NOT_EMPTY',
          severity: 'error',
          message: `${outDir} is not empty and has no ${LOCK_FILE}, so openapi-to-mcp did not create it.`,
          hint: 'Choose an empty or new folder, or pass --force to write into it anyway.',
        },
      ],
    };
  }
  const lock: Lock = {
    generator: 'openapi-to-mcp',
    version: GENERATOR_VERSION,
    specHash: options.specHash,
    files: Object.fromEntries(files.map((f) => [f.path, sha256(f.content)])),
  };
  const all = [...files, { path: LOCK_FILE, owner: 'generator' as const, content: `${JSON.stringify(lock, null, 2)}\n` }];
  const stage = `${out}.openapi-to-mcp-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  try {
    for (const file of all) {
      const target = join(stage, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    mkdirSync(out, { recursive: true });
    for (const file of all) {
      const target = join(out, file.path);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(stage, file.path), target);
    }
  } catch (error) {
    return {
      written: 0,
      removed: [],
      diagnostics: [
        { code: 'OUTPUT_WRITE_FAILED', severity: 'error', message: `Could not write ${outDir}: ${(error as Error).message}` },
      ],
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  // Generated files of operations that no longer exist go; files the generator never wrote stay.
  // The old lock file is on disk and so not trusted: only plain relative paths inside the project are removed.
  const removed = Object.keys(previous?.files ?? {}).filter((path) => !(path in lock.files) && isInside(path));
  for (const path of removed) rmSync(join(out, path), { force: true });
  return { written: all.length, removed, diagnostics: [] };
}

function readLock(out: string): Lock | undefined {
  try {
    const lock = JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')) as Lock;
    return lock.generator === 'openapi-to-mcp' && typeof lock.files === 'object' ? lock : undefined;
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isInside(path: string): boolean {
  return !isAbsolute(path) && !path.split(/[\\/]/).includes('..') && !path.includes('\0');
}
