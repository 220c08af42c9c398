import SwaggerParser from '@apidevtools/swagger-parser';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import { capDiagnostics } from './cap-diagnostics.js';
import type { SpecKind } from './detect-version.js';

const PARSER_ACCEPTS = /^(2\.0|3\.0\.[0-4]|3\.1\.[0-2])$/;
const METHODS = 'get|put|post|delete|options|head|patch|trace';

/**
 * Runs `SwaggerParser.validate` (the OpenAPI JSON Schema, then swagger-parser's
 * own spec checks) on a copy of a bundled document. Many real specs break
 * the schema yet are usable, so every problem becomes a `SPEC_INVALID`
 * warning, one per document location (at most `limit`, plus a count of the
 * rest), with a JSON pointer when the validator names a place.
 *
 * Does NOT throw and does NOT change `document`. swagger-parser's spec checks
 * stop at the first problem, so at most one of those is reported.
 */
export async function validateDocument(
  document: Record<string, unknown>,
  kind: SpecKind,
  file: string,
  limit = 20,
): Promise<Diagnostic[]> {
  let copy: Record<string, unknown>;
  try {
    copy = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
  } catch (error) {
    return capDiagnostics(toWarnings(error, file), limit);
  }
  return validateOwnedDocument(copy, kind, file, limit);
}

/**
 * `validateDocument` on a document the caller hands over (a fresh `JSON.parse` of the text it
 * was sent, say): swagger-parser changes it, so no copy of it is made (issue 8: the worker
 * copied GitHub's document twice).
 */
export async function validateOwnedDocument(
  copy: Record<string, unknown>,
  kind: SpecKind,
  file: string,
  limit = 20,
): Promise<Diagnostic[]> {
  try {
    const field = kind === 'swagger2' ? 'swagger' : 'openapi';
    const version = String(copy[field]);
    if (!PARSER_ACCEPTS.test(version))
      copy[field] = kind === 'swagger2' ? '2.0' : version.startsWith('3.1') ? '3.1.2' : '3.0.4';
    if (version.startsWith('3.1') && copy['paths'] === undefined && copy['webhooks'] === undefined) copy['paths'] = {};
    // Every `$ref` left is local (bundled and checked by the loader; data `$ref`s parked), so the
    // crawl for external files finds nothing: skipped (issue 8: 90-350 ms on GitHub's spec).
    const options: SwaggerParser.Options = { resolve: { external: false } };
    await new SwaggerParser().validate(copy as never, options);
    return [];
  } catch (error) {
    return capDiagnostics(toWarnings(error, file), limit);
  }
}

interface AjvError {
  readonly instancePath?: string;
  readonly message?: string;
}

function toWarnings(error: unknown, file: string): Diagnostic[] {
  const details = (error as { details?: unknown }).details;
  if (Array.isArray(details) && details.length > 0) {
    const byPath = new Map<string, string[]>();
    for (const d of details as AjvError[]) {
      const at = d.instancePath ?? '';
      const messages = byPath.get(at) ?? [];
      const message = d.message ?? 'is invalid';
      if (!messages.includes(message)) messages.push(message);
      byPath.set(at, messages);
    }
    return [...byPath].map(([at, messages]) => warning(file, `${at || '/'} ${messages.join('; ')}`, at));
  }
  const message = error instanceof Error ? error.message : String(error);
  const text = message.replace(/^Validation failed\.\s*/, '');
  return [warning(file, text, specPointer(text))];
}

/**
 * swagger-parser's spec checks name places as `/paths/{path}/{method}/...`
 * with the path template unescaped; rebuild a real pointer to the operation.
 */
function specPointer(text: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)/paths(/\\S*?)/(${METHODS})(?=[/\\s]|$)`).exec(text);
  return match ? pointer('paths', match[1]!, match[2]!) : undefined;
}

function warning(file: string, text: string, at: string | undefined): Diagnostic {
  return {
    code: 'SPEC_INVALID',
    severity: 'warning',
    message: `${file}: ${text}`,
    file,
    ...(at ? { pointer: at } : {}),
    hint: 'The document breaks the OpenAPI schema; generation continues, but check this place.',
  };
}
