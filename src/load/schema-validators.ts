import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';
import { PACKAGE_ROOT } from '../package-root.js';

/** Written by `npm run build` (scripts/compile-schema-validators.mjs): one standalone ajv validator per schema. */
export const SCHEMA_VALIDATORS_DIR = join(PACKAGE_ROOT, 'dist', 'schema-validators');

interface AjvError {
  readonly instancePath: string;
  readonly message?: string;
}

type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

const load = createRequire(import.meta.url);

/**
 * swagger-parser 13.0.0's `validateSchema` (lib/validators/schema.js): the API against the
 * Swagger 2.0, OpenAPI 3.0 or 3.1 schema, throwing the same `SyntaxError` with the ajv errors as
 * `details`, but with the validator the build compiled instead of compiling it with ajv on every
 * run (0.2-0.3 s, issue 8). Undefined where the build output is missing (the sources run under a
 * test runner): the caller then takes swagger-parser's own.
 */
export function prebuiltSchemaValidator(): ((api: Record<string, unknown>) => void) | undefined {
  if (!existsSync(join(SCHEMA_VALIDATORS_DIR, 'v3.cjs'))) return undefined;
  return (api) => {
    // The same choice of schema as swagger-parser's.
    const name = api['swagger'] ? 'v2' : String(api['openapi']).startsWith('3.1') ? 'v31' : 'v3';
    const validate = load(join(SCHEMA_VALIDATORS_DIR, `${name}.cjs`)) as CompiledValidator;
    if (validate(api)) return;
    const errors = validate.errors ?? [];
    const error = new SyntaxError(`Swagger schema validation failed.\n${formatAjvErrors(errors)}`);
    (error as SyntaxError & { details: AjvError[] }).details = errors;
    throw error;
  };
}

function formatAjvErrors(errors: readonly AjvError[]): string {
  let message = '';
  for (const error of errors)
    message += format(`  #${error.instancePath.length ? error.instancePath : '/'} ${error.message}\n`);
  return message;
}
