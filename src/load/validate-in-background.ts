import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import type { SpecKind } from './detect-version.js';
import { validateDocument } from './validate-document.js';

const WORKER = new URL('./validate-worker.js', import.meta.url);

/**
 * Above this many input bytes the worker's copy of the document (and swagger-parser's dereferenced
 * view of it) would sit in memory beside the main thread's model and files: a 20k-operation
 * spec reached 1.44 GB that way. Larger documents are validated first, on this thread.
 */
export const BACKGROUND_LIMIT = 16 * 1024 * 1024;

/**
 * `validateDocument` on a worker thread, so the schema validation (1.2 s of ajv on GitHub's
 * spec, issue 8) runs beside the model and emit stages instead of before them. It only ever
 * produces warnings, so nothing waits for it until the diagnostics are reported. The worker
 * gets the document as JSON text taken now (later changes to `document` do not reach it).
 * Where the compiled worker is missing (tests run the TypeScript sources) or the thread
 * fails, it validates on this thread: same diagnostics either way.
 */
export async function validateInBackground(
  document: Record<string, unknown>,
  kind: SpecKind,
  file: string,
  size: number,
): Promise<{ readonly diagnostics: Promise<Diagnostic[]> }> {
  if (size > BACKGROUND_LIMIT) {
    const diagnostics = await validateDocument(document, kind, file);
    return { diagnostics: Promise.resolve(diagnostics) };
  }
  // validateDocument copies `document` before its first await, so later changes do not reach it either.
  if (!existsSync(fileURLToPath(WORKER))) return { diagnostics: validateDocument(document, kind, file) };
  return { diagnostics: inWorker(JSON.stringify(document), kind, file) };
}

function inWorker(json: string, kind: SpecKind, file: string): Promise<Diagnostic[]> {
  return new Promise((resolve) => {
    let settled = false;
    const fallback = () => {
      if (settled) return;
      settled = true;
      resolve(validateDocument(JSON.parse(json) as Record<string, unknown>, kind, file));
    };
    const worker = new Worker(WORKER, { workerData: { json, kind, file } });
    worker.once('message', (diagnostics: Diagnostic[]) => {
      settled = true;
      resolve(diagnostics);
      void worker.terminate();
    });
    worker.once('error', fallback);
    worker.once('exit', fallback);
  });
}
