/**
 * Problems are values: every stage returns the diagnostics it found, the CLI
 * prints them all and exits 1 when any is an error. The codes below are the
 * whole catalogue; README.md documents each one.
 */

export type Severity = 'error' | 'warning' | 'info';

export const DIAGNOSTIC_CODES = {
  // load
  INPUT_NOT_FOUND: 'The spec file or URL could not be read.',
  INPUT_PARSE_ERROR: 'The spec is not valid YAML or JSON.',
  INPUT_NOT_OPENAPI: 'The document is not a Swagger 2.0 or OpenAPI 3.x document.',
  INPUT_UNSUPPORTED_VERSION: 'The OpenAPI version is not one we support.',
  REF_UNRESOLVED: 'A $ref points at something that does not exist.',
  SPEC_INVALID: 'The document breaks the OpenAPI schema; generation continues where it can.',
  SWAGGER2_CONVERTED: 'A Swagger 2.0 document was converted to OpenAPI 3.0.',
  LOAD_FAILED: 'Loading the spec failed unexpectedly (a bug or an environment problem); the message says why.',
  // config
  CONFIG_NOT_FOUND: 'The configuration file given with --config could not be read.',
  CONFIG_PARSE: 'The configuration file is not valid JSON or YAML (or has a duplicate key).',
  CONFIG_INVALID: 'The configuration breaks its schema: an unknown key, a wrong type or a bad value.',
  CONFIG_AMBIGUOUS: 'More than one configuration file sits beside the spec.',
  CONFIG_UNMATCHED: 'A selector entry or tool override in the configuration matches no operation.',
  // model
  NO_OPERATIONS: 'The document has no operations to turn into tools, or the configuration excluded them all.',
  TOOL_EXCLUDED: 'An operation is not a tool: the configuration or an x-mcp extension excludes it.',
  TOOL_NAME_CONFLICT: 'An explicit tool name (config or extension) is also the name of another tool.',
  EXTENSION_INVALID: 'An x-mcp-* or x-speakeasy-mcp extension has a value of the wrong type and is ignored.',
  TOOL_NAME_ADJUSTED: 'A tool name was changed to be valid, short enough or unique.',
  PARAMETER_RENAMED: 'Two inputs of one operation share a name; one was renamed.',
  PARAMETER_UNSUPPORTED: 'A parameter cannot be represented and was left out.',
  WEBHOOK_SKIPPED: 'Webhooks are requests the API sends, not tools; they are skipped.',
  CALLBACK_SKIPPED: 'Callbacks are requests the API sends, not tools; they are skipped.',
  SECURITY_SCHEME_UNKNOWN: 'A security requirement names a scheme that is not declared.',
  SECURITY_SCHEME_UNSUPPORTED: 'The server cannot obtain upstream credentials for this scheme.',
  SECURITY_SCHEME_ENV_RENAMED:
    'Two readers would share an environment variable; a scheme reads a numbered one instead.',
  SERVER_URL_RELATIVE: 'The first server URL is relative or templated; set UPSTREAM_BASE_URL.',
  // security lint (warnings; errors with --strict)
  LINT_TOOL_WITHOUT_SCOPE: 'Tools any authenticated caller may call: no scope and no role.',
  LINT_PUBLIC_WRITE: 'A write operation (POST, PUT, PATCH, DELETE) is declared public with `security: []`.',
  LINT_SCOPE_UNDECLARED: 'An operation requires an OAuth scope its scheme does not declare.',
  LINT_SCOPE_UNUSED: 'An OAuth scheme declares scopes no tool needs.',
  LINT_ROLES_WITHOUT_CLAIM: 'Tools require a role but no roles claim is configured, so no OAuth caller can reach them.',
  // emit / write
  OUTPUT_NOT_EMPTY: 'The output directory is not empty and was not created by openapi-to-mcp.',
  OUTPUT_INTERRUPTED:
    'A previous run was stopped mid-write; its backup folder (.openapi-to-mcp-backup-<pid>) is inside the project.',
  OUTPUT_WRITE_FAILED: 'Writing the output failed; the previous project is unchanged.',
  SCAFFOLD_FILE_DELETED: 'A scaffold file the user deleted or moved stays that way; --force brings it back.',
  OUTPUT_OTHER_SPEC: 'The output folder was generated from another spec; --force replaces it.',
  EDITED_FILE_KEPT:
    'A file the generator wrote was edited since (or was never its own), so it was kept, not overwritten or deleted.',
  EDITED_FILE_OVERWRITTEN:
    'A generator-owned file (src/generated/, src/runtime/, test/cases.gen.ts) was edited since the last run; regenerating replaces it.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** The file the problem is in, when known. */
  readonly file?: string;
  /** JSON pointer into the document (RFC 6901), when the problem has a place. */
  readonly pointer?: string;
  /** 1-based line and column, for parse errors. */
  readonly line?: number;
  readonly column?: number;
  /** What to do about it. */
  readonly hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

// Pointers are built by json-pointer.ts; re-exported here, where every stage already imports diagnostics from.
export { escapePointerToken, pointer } from './json-pointer.js';

/** Thrown only when loading leaves nothing to work with; carries the diagnostics. */
export class FatalDiagnosticsError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'FatalDiagnosticsError';
    this.diagnostics = diagnostics;
  }
}
