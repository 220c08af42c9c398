import SwaggerParser from '@apidevtools/swagger-parser';
import type { Diagnostic } from '../diagnostics.js';
import { FatalDiagnosticsError, pointer } from '../diagnostics.js';
import type { SpecKind } from './detect-version.js';
import { parseText } from './parse-text.js';
import { parkDataRefs } from './ref-positions.js';
import { isPrivateUrl } from './private-url.js';
import { capDiagnostics } from './cap-diagnostics.js';

export interface BundledDocument {
  /** The root object with every external file inlined; all `$ref`s local. */
  readonly document: Record<string, unknown>;
  /** Bytes of every other file read while bundling, keyed by absolute path or URL. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly diagnostics: readonly Diagnostic[];
}

export interface BundleInput {
  /** The parsed root document (data `$ref`s already parked); mutated. */
  readonly root: Record<string, unknown>;
  readonly kind: SpecKind;
  /** Absolute path or URL of the root: the base of relative `$ref`s. */
  readonly location: string;
  /** Turns a path or URL into what messages show. */
  readonly display: (location: string) => string;
}

/** Versions `@apidevtools/swagger-parser` 13 accepts; it refuses other patch levels. */
const PARSER_ACCEPTS = /^(2\.0|3\.0\.[0-4]|3\.1\.[0-2])$/;

/**
 * Inlines external files with `SwaggerParser.bundle` so that every `$ref`
 * left is local (`#/...`); internal `$ref`s stay, so circular schemas stay
 * finite. Other files are parsed by `parseText` (so their syntax errors carry
 * line and column) and get their data `$ref`s parked like the root's.
 *
 * Throws `FatalDiagnosticsError` listing every dangling `$ref`
 * (`REF_UNRESOLVED`) and every unreadable or malformed file; never a raw
 * parser error. Does not validate the document.
 */
export async function bundleDocument(input: BundleInput): Promise<BundledDocument> {
  const files = new Map<string, Buffer>();
  const fileDiagnostics = new Map<string, Diagnostic[]>();
  const diagnostics: Diagnostic[] = [];
  const plugin = {
    order: 1,
    allowEmpty: true,
    canParse: /\.(json|ya?ml)$/i,
    parse(file: { url: string; extension: string; data: unknown }): unknown {
      const bytes = Buffer.isBuffer(file.data) ? file.data : Buffer.from(String(file.data), 'utf8');
      files.set(file.url, bytes);
      try {
        const parsed = parseText(bytes.toString('utf8'), input.display(file.url), file.extension.toLowerCase());
        diagnostics.push(...parsed.diagnostics);
        parkDataRefs(parsed.value, input.kind);
        return parsed.value;
      } catch (error) {
        if (error instanceof FatalDiagnosticsError) fileDiagnostics.set(file.url, [...error.diagnostics]);
        throw error;
      }
    },
  };

  const { root, restore } = prepareForParser(input.root, input.kind);
  let bundled: unknown;
  try {
    bundled = await new SwaggerParser().bundle(
      input.location,
      root as never,
      {
        continueOnError: true,
        parse: { json: false, yaml: plugin },
        // The resolver refuses loopback and private addresses (SSRF guard); a
        // spec the user fetched from such a host may use its siblings there.
        resolve: { http: { safeUrlResolver: !isPrivateUrl(input.location) } },
      } as SwaggerParser.Options,
    );
  } catch (error) {
    throw new FatalDiagnosticsError(bundleErrors(error, input, fileDiagnostics));
  }
  if (bundled === null || typeof bundled !== 'object') {
    throw new FatalDiagnosticsError(bundleErrors(new Error('bundling returned no document'), input, fileDiagnostics));
  }
  restore(bundled as Record<string, unknown>);
  return { document: bundled as Record<string, unknown>, files, diagnostics };
}

/**
 * swagger-parser refuses some documents we accept (other patch versions, a
 * 3.x document without `paths`, a numeric `info.version`); give it a shallow
 * copy it accepts and put the user's values back afterwards.
 */
function prepareForParser(
  original: Record<string, unknown>,
  kind: SpecKind,
): { root: Record<string, unknown>; restore: (bundled: Record<string, unknown>) => void } {
  const root: Record<string, unknown> = { ...original };
  const field = kind === 'swagger2' ? 'swagger' : 'openapi';
  const version = String(root[field]);
  if (!PARSER_ACCEPTS.test(version))
    root[field] = kind === 'swagger2' ? '2.0' : version.startsWith('3.1') ? '3.1.2' : '3.0.4';
  const addedPaths = kind === 'openapi3' && root['paths'] === undefined;
  if (addedPaths) root['paths'] = {};
  const info = root['info'];
  if (info !== null && typeof info === 'object' && typeof (info as Record<string, unknown>)['version'] === 'number') {
    root['info'] = { ...info, version: String((info as Record<string, unknown>)['version']) };
  }
  return {
    root,
    restore(bundled) {
      bundled[field] = original[field];
      if (addedPaths) delete bundled['paths'];
    },
  };
}

interface RefParserError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly source?: string;
  readonly path?: readonly (string | number)[] | null;
  readonly targetRef?: string;
  readonly ioErrorCode?: string;
}

function bundleErrors(error: unknown, input: BundleInput, fileDiagnostics: Map<string, Diagnostic[]>): Diagnostic[] {
  const errors: RefParserError[] =
    error !== null && typeof error === 'object' && Array.isArray((error as { errors?: unknown }).errors)
      ? (error as { errors: RefParserError[] }).errors
      : [error as RefParserError];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const d = toDiagnostic(e, input, fileDiagnostics);
    for (const diagnostic of d) {
      const key = `${diagnostic.code}|${diagnostic.file}|${diagnostic.pointer}|${diagnostic.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(diagnostic);
      }
    }
  }
  return capDiagnostics(out, 20);
}

function toDiagnostic(e: RefParserError, input: BundleInput, fileDiagnostics: Map<string, Diagnostic[]>): Diagnostic[] {
  const source = typeof e?.source === 'string' && e.source !== '' ? e.source : input.location;
  const file = input.display(source);
  const where = Array.isArray(e?.path) && e.path.length > 0 ? pointer(...e.path) : undefined;
  switch (e?.code) {
    case 'EMISSINGPOINTER':
      return [
        {
          code: 'REF_UNRESOLVED',
          severity: 'error',
          message: `${file}${where ? ` at ${where}` : ''}: $ref "${e.targetRef ?? '?'}" points at nothing (${e.message}).`,
          file,
          ...(where ? { pointer: where } : {}),
          hint: 'Fix the $ref or add the missing definition.',
        },
      ];
    case 'EPARSER': {
      // The error names the referring file; the parse diagnostics (with line
      // and column) were recorded under the file that failed, named in the message.
      const recorded = [...fileDiagnostics].filter(([url]) => (e.message ?? '').includes(url)).flatMap(([, d]) => d);
      if (recorded.length > 0) return recorded;
      break;
    }
    case 'ERESOLVER':
    case 'EUNMATCHEDRESOLVER':
    case 'EUNMATCHEDPARSER':
      return [
        {
          code: 'REF_UNRESOLVED',
          severity: 'error',
          message: `${file}${where ? ` at ${where}` : ''}: the $ref's file cannot be read: ${shortenPaths(stripNoise(e.message), input.display)}`,
          file,
          ...(where ? { pointer: where } : {}),
          hint: 'Check the relative path of the $ref; it resolves against the file that contains it.',
        },
      ];
  }
  return [
    {
      code: 'REF_UNRESOLVED',
      severity: 'error',
      message: `Bundling ${file} failed: ${stripNoise(e?.message ?? String(e))}`,
      file,
      ...(where ? { pointer: where } : {}),
    },
  ];
}

/** Replaces absolute paths in a message by what the user sees. */
function shortenPaths(message: string, display: (location: string) => string): string {
  return message.replace(/(?<=\s|')(\/[^\s':]+)/g, (match) => display(match));
}

function stripNoise(message: string | undefined): string {
  return (message ?? '').split('\n')[0] ?? '';
}
