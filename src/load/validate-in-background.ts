import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import type { SpecKind } from './detect-version.js';
import { singleJsonFromBytes } from './single-json-document.js';
import type { JsonPreparation } from './single-json-document.js';

/** swagger-parser and ajv load on this thread only when it validates here (no worker, or a huge document). */
const validator = () => import('./validate-document.js');

const WORKER = new URL('./validate-worker.js', import.meta.url);

/**
 * Above this many input bytes a document sent to the worker as JSON text (YAML, several files:
 * serialized here, parsed there) would sit in memory twice beside the main thread's model and
 * files: a 20k-operation spec reached 1.44 GB that way. Such documents are validated first, on
 * this thread.
 */
export const BACKGROUND_LIMIT = 16 * 1024 * 1024;

/**
 * The same limit for a single JSON file, which the worker rebuilds from the input bytes (no
 * serialized copy): synthetic-20k (41 MB, 20,000 operations) peaks at 744 MB of RSS with its
 * validation on the worker and at 748 MB with it here, and takes 4.0 s instead of 4.7 s (issue 8).
 */
export const BACKGROUND_LIMIT_FROM_BYTES = 64 * 1024 * 1024;

export interface Validator {
  /**
   * Starts validating `document` as it is now; resolves once the validation runs on its own,
   * with its (later) diagnostics. `validateDocument`'s warnings either way. `bytes`: the input of a
   * single-file JSON spec, from which `document` is rebuilt where it is validated
   * (`singleJsonFromBytes`) instead of being serialized here and copied to the worker;
   * `preparation`: what the loader changed in its parse of them, replayed there without a walk.
   */
  validate(
    document: Record<string, unknown>,
    kind: SpecKind,
    file: string,
    bytes?: Uint8Array,
    preparation?: JsonPreparation,
  ): Promise<{ readonly diagnostics: Promise<Diagnostic[]> }>;
  /** Stops an idle worker (loading failed before there was anything to validate). */
  close(): void;
}

/**
 * `validateDocument` on a worker thread, so the schema validation (1.2 s of ajv on GitHub's
 * spec, issue 8) runs beside the model and emit stages instead of before them; it only ever
 * produces warnings, so nothing waits for it until the diagnostics are reported. The worker is
 * started before parsing (`size`: the input's bytes), so its modules load meanwhile. Where the
 * compiled worker is missing (tests run the TypeScript sources) or the thread fails, the
 * document is validated on this thread: same diagnostics either way.
 */
export function startValidator(size: number): Validator {
  const inSeries: Validator = {
    async validate(document, kind, file, bytes, preparation) {
      // From the bytes where there are some: no serialized copy of a 40 MB document beside it.
      const diagnostics = await validateMessage(toMessage(document, kind, file, bytes, preparation));
      return { diagnostics: Promise.resolve(diagnostics) };
    },
    close() {},
  };
  if (size > BACKGROUND_LIMIT_FROM_BYTES) return inSeries;
  // JSON text: no second copy of a large document on the worker (see BACKGROUND_LIMIT).
  const largeAsText = (bytes: Uint8Array | undefined) => bytes === undefined && size > BACKGROUND_LIMIT;
  // The text is taken now, before any await, so later changes to `document` do not reach it.
  if (!existsSync(fileURLToPath(WORKER)))
    return {
      validate: async (document, kind, file, bytes, preparation) => {
        if (largeAsText(bytes)) return inSeries.validate(document, kind, file, bytes, preparation);
        const message = toMessage(document, kind, file, bytes, preparation);
        return { diagnostics: validateMessage(message) };
      },
      close() {},
    };
  const worker = new Worker(WORKER);
  // An idle worker must not keep the process alive (say loading fails); it is ref'd while it works.
  worker.unref();
  let failed = false;
  worker.once('error', () => (failed = true));
  return {
    async validate(document, kind, file, bytes, preparation) {
      if (largeAsText(bytes)) {
        void worker.terminate();
        return inSeries.validate(document, kind, file, bytes, preparation);
      }
      const message = toMessage(document, kind, file, bytes, preparation);
      const inThread = () => validateMessage(message);
      if (failed) return { diagnostics: inThread() };
      worker.ref();
      const diagnostics = new Promise<Diagnostic[]>((resolve) => {
        let settled = false;
        const fallback = () => {
          if (settled) return;
          settled = true;
          resolve(inThread());
        };
        worker.once('message', (result: Diagnostic[]) => {
          settled = true;
          resolve(result);
          void worker.terminate();
        });
        worker.once('error', fallback);
        worker.once('exit', fallback);
      });
      worker.postMessage(message);
      return { diagnostics };
    },
    close() {
      void worker.terminate();
    },
  };
}

/**
 * What the validating side needs, taken before any await so that later changes to `document` do
 * not reach it: the input bytes of a single JSON file (which nothing changes; `postMessage` copies
 * them), or the document as JSON text.
 */
export type ValidationMessage =
  | {
      readonly kind: SpecKind;
      readonly file: string;
      readonly bytes: Uint8Array;
      readonly preparation?: JsonPreparation;
    }
  | { readonly kind: SpecKind; readonly file: string; readonly json: string };

function toMessage(
  document: Record<string, unknown>,
  kind: SpecKind,
  file: string,
  bytes: Uint8Array | undefined,
  preparation?: JsonPreparation,
): ValidationMessage {
  if (!bytes) return { kind, file, json: JSON.stringify(document) };
  return preparation ? { kind, file, bytes, preparation } : { kind, file, bytes };
}

/** Validates the document a message carries (on whichever thread runs it): its parse is the one copy. */
export async function validateMessage(message: ValidationMessage): Promise<Diagnostic[]> {
  const document = () =>
    'bytes' in message
      ? singleJsonFromBytes(message.bytes, message.kind, message.preparation)
      : (JSON.parse(message.json) as Record<string, unknown>);
  // Built a second time only for a document the fast dereference declines (see validate-document.ts).
  return (await validator()).validateOwnedDocument(document(), message.kind, message.file, undefined, document);
}
