import { parentPort } from 'node:worker_threads';
import type { ValidationMessage } from './validate-in-background.js';
import { validateMessage } from './validate-in-background.js';
// Loaded as the worker starts, while the main thread still parses: swagger-parser and ajv.
import './validate-document.js';

/**
 * The worker side of `startValidator`: started early so that swagger-parser and ajv load while
 * the main thread parses; validates the one document it is sent (JSON text, or the input bytes of
 * a single JSON file, parsed and made ready here) and posts the diagnostics.
 */
async function validateAndPost(message: ValidationMessage): Promise<void> {
  parentPort?.postMessage(await validateMessage(message));
}

// A rejection is left unhandled on purpose: it ends the worker, which the main thread sees as its 'error' event.
parentPort?.once('message', (message: ValidationMessage) => void validateAndPost(message));
