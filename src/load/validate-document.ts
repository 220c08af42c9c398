import { Module, createRequire } from 'node:module';
import type SwaggerParserType from '@apidevtools/swagger-parser';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import { capDiagnostics } from './cap-diagnostics.js';
import { dereferenceIgnoringCycles } from './dereference-ignoring-cycles.js';
import { prebuiltSchemaValidator } from './schema-validators.js';
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
  let text: string;
  try {
    text = JSON.stringify(document);
    copy = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return capDiagnostics(toWarnings(error, file), limit);
  }
  return validateOwnedDocument(copy, kind, file, limit, () => JSON.parse(text) as Record<string, unknown>);
}

/**
 * `validateDocument` on a document the caller hands over (a fresh `JSON.parse` of the text it
 * was sent, say): swagger-parser changes it, so no copy of it is made (issue 8: the worker
 * copied GitHub's document twice). `again` builds another such document, for the rare one
 * `validateLikeSwaggerParser` leaves to swagger-parser itself.
 */
export async function validateOwnedDocument(
  copy: Record<string, unknown>,
  kind: SpecKind,
  file: string,
  limit = 20,
  again?: () => Record<string, unknown>,
): Promise<Diagnostic[]> {
  try {
    const prepared = (document: Record<string, unknown>) => {
      const field = kind === 'swagger2' ? 'swagger' : 'openapi';
      const version = String(document[field]);
      if (!PARSER_ACCEPTS.test(version))
        document[field] = kind === 'swagger2' ? '2.0' : version.startsWith('3.1') ? '3.1.2' : '3.0.4';
      if (version.startsWith('3.1') && document['paths'] === undefined && document['webhooks'] === undefined)
        document['paths'] = {};
      return document;
    };
    await (again
      ? validateLikeSwaggerParser(prepared(copy), () => prepared(again()))
      : new SwaggerParser().validate(prepared(copy) as never, PARSER_OPTIONS));
    return [];
  } catch (error) {
    return capDiagnostics(toWarnings(error, file), limit);
  }
}

// Every `$ref` left is local (bundled and checked by the loader; data `$ref`s parked), so the
// crawl for external files finds nothing: skipped (issue 8: 90-350 ms on GitHub's spec).
const PARSER_OPTIONS: SwaggerParserType.Options = { resolve: { external: false } };

/** swagger-parser's own parts, from its install (its json-schema-ref-parser is the one it uses). */
const fromParser = createRequire(createRequire(import.meta.url).resolve('@apidevtools/swagger-parser'));

/**
 * swagger-parser's schema validator, loaded on its first call. Its module requires ajv and the
 * OpenAPI JSON Schemas as swagger-parser loads (~20 ms of the worker's CPU, issue 8), but the
 * schema is checked by the prebuilt validators (schema-validators.ts): it only runs where those
 * are missing or swagger-parser validates a document itself. Put in the require cache before
 * swagger-parser is, unless something loaded it already.
 */
function deferSchemaValidator(): void {
  const path = fromParser.resolve('./validators/schema.js');
  if (fromParser.cache[path] !== undefined) return;
  let validate: ((api: unknown) => unknown) | undefined;
  const deferred = new Module(path);
  deferred.filename = path;
  deferred.loaded = true;
  deferred.exports = function validateSchema(api: unknown): unknown {
    if (validate === undefined) {
      delete fromParser.cache[path];
      validate = fromParser(path) as (api: unknown) => unknown;
    }
    return validate(api);
  };
  fromParser.cache[path] = deferred;
}

deferSchemaValidator();
const SwaggerParser = fromParser('./index.js') as typeof SwaggerParserType;
type Validator = (api: unknown) => void;
type Dereference = (parser: SwaggerParserType, options: unknown) => void;
const parserParts = () => ({
  Options: fromParser('./options.js') as new (options: unknown) => SwaggerParserType.Options & {
    dereference: { circular: boolean | 'ignore' };
  },
  validateSchema: fromParser('./validators/schema.js') as Validator,
  validateSpec: fromParser('./validators/spec.js') as Validator,
  dereference: (fromParser('@apidevtools/json-schema-ref-parser') as { dereferenceInternal: Dereference })
    .dereferenceInternal,
});

/**
 * `new SwaggerParser().validate(document, PARSER_OPTIONS)` (swagger-parser 13.0.0, lib/index.js)
 * step by step, with the same errors, but its first dereference done by
 * `dereferenceIgnoringCycles`: json-schema-ref-parser's took 1.0 s on GitHub's spec (issue 8).
 * Where that one declines a document (it may have changed it), swagger-parser validates `again()`.
 */
async function validateLikeSwaggerParser(
  document: Record<string, unknown>,
  again: () => Record<string, unknown>,
): Promise<void> {
  const { Options, validateSchema, validateSpec, dereference } = parserParts();
  const options = new Options(PARSER_OPTIONS);
  const circularOption = options.dereference.circular;
  options.dereference.circular = 'ignore';
  const parser = new SwaggerParser();
  // parse (swagger-parser's version checks) and resolve (nothing external): what validate does first.
  await parser.resolve(document as never, options);
  let circular: boolean;
  try {
    circular = dereferenceIgnoringCycles(parser.api as Record<string, unknown>);
  } catch {
    await new SwaggerParser().validate(again() as never, PARSER_OPTIONS);
    return;
  }
  parser.$refs.circular = circular;
  options.dereference.circular = circularOption;
  (prebuiltSchemaValidator() ?? validateSchema)(parser.api as unknown as Record<string, unknown>);
  // The second pass of validate: circular `$ref`s too, for the spec checks (`circular: true`).
  if (circular && circularOption === true) dereference(parser, options);
  validateSpec(parser.api);
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
