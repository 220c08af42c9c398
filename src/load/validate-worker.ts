import { parentPort } from 'node:worker_threads';
import type { SpecKind } from './detect-version.js';
import { validateDocument } from './validate-document.js';

/**
 * The worker side of `startValidator`: started early so that swagger-parser and ajv load while
 * the main thread parses; validates the one document (JSON text) it is sent and posts the diagnostics.
 */
async function validateAndPost({ json, kind, file }: { json: string; kind: SpecKind; file: string }): Promise<void> {
  parentPort?.postMessage(await validateDocument(JSON.parse(json) as Record<string, unknown>, kind, file));
}

// A rejection is left unhandled on purpose: it ends the worker, which the main thread sees as its 'error' event.
parentPort?.once('message', (message: { json: string; kind: SpecKind; file: string }) => void validateAndPost(message));
