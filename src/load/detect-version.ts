import type { Diagnostic } from '../diagnostics.js';
import { FatalDiagnosticsError } from '../diagnostics.js';

export type SpecKind = 'swagger2' | 'openapi3';

export interface DetectedVersion {
  readonly kind: SpecKind;
  readonly dialect: '3.0' | '3.1';
  /** The version as written, as a string (`2.0`, `3.0.3`...). */
  readonly sourceVersion: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Decides what the root document is from its `swagger` / `openapi` field.
 * Accepts Swagger `2.0`, OpenAPI `3.0.x` and `3.1.x`; a number where a string
 * belongs (YAML `swagger: 2.0`) is accepted with a warning.
 *
 * @see https://spec.openapis.org/oas/v3.1.1.html#versions
 * Does NOT validate anything else; that is `validateDocument`'s job.
 */
export function detectVersion(root: unknown, file: string): DetectedVersion {
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw notOpenApi(file, `${file} is not an OpenAPI document: its root is ${describe(root)}, not an object.`);
  }
  const record = root as Record<string, unknown>;
  const diagnostics: Diagnostic[] = [];
  if ('swagger' in record) {
    const version = asVersionString(record['swagger'], 'swagger', file, diagnostics);
    if (version !== '2.0') throw unsupported(file, `swagger: ${version}`, '/swagger');
    return { kind: 'swagger2', dialect: '3.0', sourceVersion: version, diagnostics };
  }
  if ('openapi' in record) {
    const version = asVersionString(record['openapi'], 'openapi', file, diagnostics);
    const minor = /^3\.(0|1)(\.\d+)?(-[\w.-]+)?$/.exec(version)?.[1];
    if (minor === undefined) throw unsupported(file, `openapi: ${version}`, '/openapi');
    return { kind: 'openapi3', dialect: minor === '1' ? '3.1' : '3.0', sourceVersion: version, diagnostics };
  }
  throw notOpenApi(file, `${file} is not an OpenAPI document: it has no \`openapi\` or \`swagger\` field at the root.`);
}

function asVersionString(value: unknown, field: string, file: string, diagnostics: Diagnostic[]): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') {
    // YAML reads `swagger: 2.0` as the number 2 and `openapi: 3.1` as 3.1.
    const version = Number.isInteger(value) ? `${value}.0` : String(value);
    diagnostics.push({
      code: 'SPEC_INVALID',
      severity: 'warning',
      message: `\`${field}\` is the number ${value}; read as "${version}".`,
      file,
      pointer: `/${field}`,
      hint: `Quote the version: ${field}: "${version}"`,
    });
    return version;
  }
  throw notOpenApi(file, `${file}: \`${field}\` is ${describe(value)}, not a version string.`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function notOpenApi(file: string, message: string): FatalDiagnosticsError {
  return new FatalDiagnosticsError([
    {
      code: 'INPUT_NOT_OPENAPI',
      severity: 'error',
      message,
      file,
      hint: 'Pass an OpenAPI 3.x or Swagger 2.0 document (its root has `openapi: 3.x.y` or `swagger: "2.0"`).',
    },
  ]);
}

function unsupported(file: string, written: string, where: string): FatalDiagnosticsError {
  return new FatalDiagnosticsError([
    {
      code: 'INPUT_UNSUPPORTED_VERSION',
      severity: 'error',
      message: `${file} declares \`${written}\`; supported are Swagger 2.0, OpenAPI 3.0.x and 3.1.x.`,
      file,
      pointer: where,
      hint: 'Convert the document to OpenAPI 3.1 or 3.0 first.',
    },
  ]);
}
