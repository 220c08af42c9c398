import { parentPort } from 'node:worker_threads';
import type { SpecKind } from './detect-version.js';
import { validateOwnedDocument } from './validate-document.js';

/**
 * The worker side of `startValidator`: started early so that swagger-parser and ajv load while
 * the main thread parses; validates the one document (JSON text) it is sent and posts the diagnostics.
 */
parentPort?.once('message', async ({ json, kind, file }: { json: string; kind: SpecKind; file: string }) => {
  // The parsed message is this thread's own: validated as it is, not copied again.
  parentPort?.postMessage(await validateOwnedDocument(JSON.parse(json) as Record<string, unknown>, kind, file));
});
