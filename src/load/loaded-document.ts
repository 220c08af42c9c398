import type { Diagnostic } from '../diagnostics.js';

/**
 * What `load` hands to `model`: one OpenAPI 3.x document (3.0 or 3.1; Swagger
 * 2.0 already converted), bundled so that every external file is inlined and
 * every remaining `$ref` is a local JSON pointer (`#/...`). Internal `$ref`s
 * are kept, not dereferenced, so circular schemas stay finite.
 */
export interface LoadedDocument {
  /** The bundled OpenAPI 3.x document (plain JSON data). */
  readonly document: OpenApiDocument;
  /** `3.0` or `3.1`: decides how schemas are turned into JSON Schema. */
  readonly dialect: '3.0' | '3.1';
  /** The version the user wrote (`2.0`, `3.0.3`, `3.1.0` ...). */
  readonly sourceVersion: string;
  /** Where it came from: a file path, a URL, or `<stdin>`. */
  readonly source: string;
  /** SHA-256 (hex) of the bytes of every file read, in a stable order. */
  readonly hash: string;
  /**
   * Every local `$ref` string in `document` (any position) and discriminator mapping target,
   * sorted and distinct, when the loader's own walk of this very document found them (a single
   * JSON file): the model's schema registry then need not walk ~1M nodes again (issue 8).
   * Describes the document as loaded.
   */
  readonly localRefs?: () => readonly string[];
  /** Warnings found while loading (invalid but usable documents, conversions). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Set only by `loadDocumentLazily`: schema-validation warnings still being computed, which
   * belong at index `at` of `diagnostics`. `settle` waits for them and puts them there.
   */
  readonly pending?: { readonly at: number; readonly diagnostics: Promise<readonly Diagnostic[]> };
}

/** The document with its validation warnings in place (the same object when nothing is pending). */
export async function settle(loaded: LoadedDocument): Promise<LoadedDocument> {
  if (!loaded.pending) return loaded;
  const { pending: _pending, ...rest } = loaded;
  return { ...rest, diagnostics: await settledDiagnostics(loaded) };
}

/** Just the diagnostics of `settle`, for callers that no longer hold the document. */
export async function settledDiagnostics(
  loaded: Pick<LoadedDocument, 'diagnostics' | 'pending'>,
): Promise<readonly Diagnostic[]> {
  if (!loaded.pending) return loaded.diagnostics;
  const late = await loaded.pending.diagnostics;
  return [...loaded.diagnostics.slice(0, loaded.pending.at), ...late, ...loaded.diagnostics.slice(loaded.pending.at)];
}

/** The loosely typed document: OpenAPI is validated, not trusted, so the model reads it defensively. */
export type OpenApiDocument = { readonly [key: string]: unknown };
