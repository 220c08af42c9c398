import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { FatalDiagnosticsError } from '../diagnostics.js';

/** The bytes of the root document and where relative `$ref`s resolve from. */
export interface RawInput {
  /** What the user sees in messages: the path as given, the URL, or `<stdin>`. */
  readonly source: string;
  /** Absolute file path or URL used as the base for relative `$ref`s. */
  readonly location: string;
  readonly bytes: Buffer;
  /** Lower-case extension of the root (`.json`, `.yaml`...), '' when unknown. */
  readonly extension: string;
}

export interface ReadInputOptions {
  readonly stdin?: NodeJS.ReadableStream | string;
  readonly cwd?: string;
  /** Milliseconds before a URL fetch is abandoned. */
  readonly fetchTimeoutMs?: number;
}

const URL_PATTERN = /^https?:\/\//i;

/**
 * Reads the root document: a file path (relative to `cwd`), an http(s) URL, or
 * `-` for standard input. Throws `FatalDiagnosticsError` with `INPUT_NOT_FOUND`
 * when nothing can be read. Does not parse.
 */
export async function readInput(input: string, options: ReadInputOptions = {}): Promise<RawInput> {
  const cwd = options.cwd ?? process.cwd();
  if (input === '-') return readStdin(options.stdin ?? process.stdin, cwd);
  if (URL_PATTERN.test(input)) return readUrl(input, options.fetchTimeoutMs ?? 30_000);
  return readPath(input, cwd);
}

async function readPath(input: string, cwd: string): Promise<RawInput> {
  const location = path.resolve(cwd, input);
  try {
    const bytes = await readFile(location);
    return { source: input, location, bytes, extension: path.extname(location).toLowerCase() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${(error as Error).message})`;
    throw fatal({
      code: 'INPUT_NOT_FOUND',
      severity: 'error',
      message: `The spec file ${input} ${reason}.`,
      file: input,
      hint:
        code === 'EISDIR'
          ? 'Pass the root file of the spec (the one with `openapi:` or `swagger:` at the top).'
          : `Check the path; relative paths are resolved against ${cwd}.`,
    });
  }
}

async function readUrl(url: string, timeoutMs: number): Promise<RawInput> {
  const failure = (reason: string): FatalDiagnosticsError =>
    fatal({
      code: 'INPUT_NOT_FOUND',
      severity: 'error',
      message: `The spec URL ${url} could not be fetched: ${reason}.`,
      file: url,
      hint: 'Check the URL, or download the spec and pass the file path.',
    });
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw failure(describeFetchError(error));
  }
  if (!response.ok) throw failure(`HTTP ${response.status} ${response.statusText}`.trim());
  const bytes = Buffer.from(await response.arrayBuffer());
  // Relative $refs resolve against the final URL, after redirects.
  const location = response.url || url;
  return { source: url, location, bytes, extension: path.posix.extname(new URL(location).pathname).toLowerCase() };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

async function readStdin(stdin: NodeJS.ReadableStream | string, cwd: string): Promise<RawInput> {
  // Relative $refs from stdin resolve against the working directory.
  const location = path.join(cwd, '<stdin>');
  if (typeof stdin === 'string')
    return { source: '<stdin>', location, bytes: Buffer.from(stdin, 'utf8'), extension: '' };
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return { source: '<stdin>', location, bytes: Buffer.concat(chunks), extension: '' };
}

function fatal(diagnostic: Diagnostic): FatalDiagnosticsError {
  return new FatalDiagnosticsError([diagnostic]);
}
