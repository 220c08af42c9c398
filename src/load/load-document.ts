import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { FatalDiagnosticsError } from '../diagnostics.js';
import { danglingRefsAt, findDanglingRefs } from './check-refs.js';
import { detectVersion } from './detect-version.js';
import { hashInput } from './hash-input.js';
import { rewriteAliasRefsAt } from './local-refs.js';
import type { LoadedDocument } from './loaded-document.js';
import { settle } from './loaded-document.js';
import { parseBytes } from './parse-text.js';
import { toPlainJson } from './plain-json.js';
import { readInput } from './read-input.js';
import { localRefStrings, referenceSites, surveyRefs, unparkAt, unparkDataRefs } from './ref-positions.js';
import { prepareSingleJson } from './single-json-document.js';
import { startValidator } from './validate-in-background.js';
import type { Validator } from './validate-in-background.js';

export interface LoadOptions {
  /** What `-` reads; defaults to `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream | string;
  /** Relative paths resolve against this; defaults to `process.cwd()`. */
  readonly cwd?: string;
  /** Run `SwaggerParser.validate` and report `SPEC_INVALID` warnings (default true). */
  readonly validate?: boolean;
}

/**
 * The `load` stage: read (path, http(s) URL or `-`), parse (YAML or JSON, with
 * positions), detect the version, bundle external files into one document
 * with only local `$ref`s, check that every reference resolves, validate
 * (warnings only), and upgrade Swagger 2.0 to OpenAPI 3.0.
 *
 * Throws `FatalDiagnosticsError` and nothing else when there is no usable
 * document: unreadable input, syntax errors, not OpenAPI, an unsupported
 * version, or dangling `$ref`s (all of them reported, capped). Everything
 * else comes back in `LoadedDocument.diagnostics`.
 */
export async function loadDocument(input: string, options: LoadOptions = {}): Promise<LoadedDocument> {
  return settle(await loadDocumentLazily(input, options));
}

/**
 * `loadDocument` without waiting for the schema validation, which runs on a worker thread
 * (it only yields warnings): the caller builds the model meanwhile and must `settle` the
 * result before it reads `diagnostics`. Fatal errors still carry every warning found.
 */
export async function loadDocumentLazily(input: string, options: LoadOptions = {}): Promise<LoadedDocument> {
  const collected: Diagnostic[] = [];
  const validation: Validation = {};
  try {
    return await load(input, options, collected, validation);
  } catch (error) {
    if (validation.pending) collected.splice(validation.pending.at, 0, ...(await validation.pending.diagnostics));
    else validation.validator?.close();
    if (error instanceof FatalDiagnosticsError) throw new FatalDiagnosticsError([...collected, ...error.diagnostics]);
    throw new FatalDiagnosticsError([
      ...collected,
      {
        code: 'LOAD_FAILED',
        severity: 'error',
        message: `Loading ${input} failed: ${error instanceof Error ? error.message : String(error)}`,
        file: input,
        hint: 'This is likely a bug in openapi-to-mcp; please report it with the spec.',
      },
    ]);
  }
}

/** The schema validation of one load: its worker, then its pending warnings. */
interface Validation {
  validator?: Validator;
  pending?: LoadedDocument['pending'];
}

async function load(
  input: string,
  options: LoadOptions,
  collected: Diagnostic[],
  validation: Validation,
): Promise<LoadedDocument> {
  const cwd = options.cwd ?? process.cwd();
  const raw = await readInput(input, options);
  if (options.validate !== false) validation.validator = startValidator(raw.bytes.length);
  const display = (location: string): string => displayLocation(location, raw, cwd);

  const parsed = parseBytes(raw.bytes, raw.source, raw.extension);
  collected.push(...parsed.diagnostics);
  const version = detectVersion(parsed.value, raw.source);
  collected.push(...version.diagnostics);
  const root = parsed.value as Record<string, unknown>;

  // $refs inside examples, defaults and x-* are data: park them so the
  // bundler neither follows nor fails on them (okta-management has such). The same walk
  // collects the reference `$ref`s and tells whether any names another file.
  // A JSON tree is made ready in one go (see single-json-document.ts); YAML may share objects.
  const prepared = parsed.shape === 'tree' ? prepareSingleJson(root, version.kind) : undefined;
  const survey = prepared ?? surveyRefs(root, version.kind, parsed.shape);
  // A single file needs no bundler: its local `$ref`s only need the bundler's alias rewriting.
  const single = !survey.external;
  // The bundler (json-schema-ref-parser) and the Swagger 2.0 converter load only when needed.
  const bundled = single
    ? { document: root, files: new Map<string, Buffer>(), diagnostics: [] }
    : await (
        await import('./bundle-document.js')
      ).bundleDocument({ root, kind: version.kind, location: raw.location, display });
  collected.push(...bundled.diagnostics);
  // JSON.parse output is already plain data (a tree); YAML may share objects and the bundler's output too.
  const surveyed = single && parsed.shape === 'tree';
  let document = surveyed ? root : toPlainJson(bundled.document);
  // The survey's sites belong to `root`; a copy is walked once more for its own.
  const sites = surveyed ? survey.refs : referenceSites(document, version.kind);
  if (single && !surveyed) rewriteAliasRefsAt(document, sites);

  const dangling = danglingRefsAt(document, sites, raw.source);
  if (dangling.length > 0) throw new FatalDiagnosticsError(dangling);

  if (validation.validator) {
    const at = collected.length;
    validation.pending = {
      at,
      // A single JSON file is rebuilt from its bytes where it is validated: no copy of it here.
      diagnostics: (
        await validation.validator.validate(
          document,
          version.kind,
          raw.source,
          surveyed ? raw.bytes : undefined,
          surveyed ? prepared?.preparation : undefined,
        )
      ).diagnostics,
    };
  }

  if (version.kind === 'swagger2') {
    const converted = await (await import('./convert-swagger2.js')).convertSwagger2(document, raw.source);
    collected.push(...converted.diagnostics);
    document = toPlainJson(converted.document);
    const broken = findDanglingRefs(
      document,
      'openapi3',
      raw.source,
      'The Swagger 2.0 to OpenAPI 3.0 conversion broke this $ref; please report it with the spec.',
    );
    if (broken.length > 0) throw new FatalDiagnosticsError(broken);
  }
  // Where the survey walked this very document, the objects it parked are known: no walk.
  // A single file whose survey parked nothing has nothing parked anywhere (a copy or the Swagger 2.0
  // conversion only carries what was): no walk (kubernetes-api: ~500k nodes for nothing).
  const walked = surveyed && version.kind !== 'swagger2';
  if (walked) unparkAt(survey.parked);
  else if (!single || survey.parked.length > 0) unparkDataRefs(document);
  // The survey walked `document` itself: it knows where its `$ref` strings are (read when asked, after the changes above).
  const strings = survey.strings;

  return {
    document,
    dialect: version.dialect,
    sourceVersion: version.sourceVersion,
    source: raw.source,
    hash: hashInput(raw.location, raw.bytes, bundled.files),
    ...(walked ? { localRefs: () => localRefStrings(strings) } : {}),
    diagnostics: collected,
    ...(validation.pending ? { pending: validation.pending } : {}),
  };
}

/** Paths under the working directory are shown relative to it; others as they are. */
function displayLocation(location: string, raw: { location: string; source: string }, cwd: string): string {
  if (location === raw.location) return raw.source;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(location)) return location;
  const relative = path.relative(cwd, location);
  return relative.startsWith('..') || path.isAbsolute(relative) ? location : relative;
}
