import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import type { SpecKind } from './detect-version.js';
import { validateDocument } from './validate-document.js';

const WORKER = new URL('./validate-worker.js', import.meta.url);

/**
 * `validateDocument` on a worker thread, so the schema validation (1.2 s of ajv on GitHub's
 * spec, issue 8) runs beside the model and emit stages instead of before them. It only ever
 * produces warnings, so nothing waits for it until the diagnostics are reported. The worker
 * gets the document as JSON text taken now (later changes to `document` do not reach it).
 * Where the compiled worker is missing (tests run the TypeScript sources) or the thread
 * fails, it validates on this thread: same diagnostics either way.
 */
export function validateInBackground(document: Record<string, unknown>, kind: SpecKind, file: string): Promise<Diagnostic[]> {
  // validateDocument copies `document` before its first await, so later changes do not reach it either.
  if (!existsSync(fileURLToPath(WORKER))) return validateDocument(document, kind, file);
  const json = JSON.stringify(document);
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
