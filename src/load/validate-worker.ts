import { parentPort, workerData } from 'node:worker_threads';
import type { SpecKind } from './detect-version.js';
import { validateDocument } from './validate-document.js';

/** The worker side of `validateInBackground`: validates the JSON text it is given and posts the diagnostics. */
const { json, kind, file } = workerData as { json: string; kind: SpecKind; file: string };
parentPort?.postMessage(await validateDocument(JSON.parse(json) as Record<string, unknown>, kind, file));
