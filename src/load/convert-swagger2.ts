import swagger2openapi from 'swagger2openapi';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import { capDiagnostics } from './cap-diagnostics.js';

const WARN_PROPERTY = 'x-openapi-to-mcp-conversion-warning';
/** A non-empty `text` option, so swagger2openapi 7.0.8 skips stringifying the document to YAML. */
const UNUSED_SOURCE_TEXT = 'unused';

/**
 * Upgrades a bundled Swagger 2.0 document to OpenAPI 3.0.0 with
 * `swagger2openapi` (patching small defects, warning instead of failing), so
 * that `formData` and `body` parameters become `requestBody` with the media
 * types of `consumes`, `definitions` become `components.schemas`,
 * `securityDefinitions` become `components.securitySchemes`, and every
 * `$ref` is rewritten to match.
 *
 * @see https://spec.openapis.org/oas/v3.0.3.html#request-body-object
 * Returns a new document; `document` may be changed by the converter.
 * Conversion warnings come back as `SWAGGER2_CONVERTED` warnings with the
 * pointer (into the converted document) where the converter left them.
 */
export async function convertSwagger2(
  document: Record<string, unknown>,
  file: string,
): Promise<{ document: Record<string, unknown>; diagnostics: Diagnostic[] }> {
  const result = await swagger2openapi.convertObj(document, {
    patch: true,
    warnOnly: true,
    resolve: false,
    warnProperty: WARN_PROPERTY,
    // The converter keeps the source text for nothing but its own `options.text`, and when it is
    // not given, builds it with `yaml.stringify` of the whole document: 0.64 s of the 0.9 s it took
    // on kubernetes-api (issue 8). Nothing it returns reads it.
    text: UNUSED_SOURCE_TEXT,
  });
  const converted = result.openapi;
  const warnings = collectWarnings(converted, file);
  const patches = typeof result.patches === 'number' ? result.patches : 0;
  const diagnostics: Diagnostic[] = [
    {
      code: 'SWAGGER2_CONVERTED',
      severity: 'info',
      message:
        `${file}: Swagger 2.0 converted to OpenAPI ${String(converted['openapi'])}` +
        (patches > 0 ? ` (${patches} small defect${patches === 1 ? '' : 's'} patched on the way).` : '.'),
      file,
    },
    ...capDiagnostics(warnings, 20),
  ];
  return { document: converted, diagnostics };
}

/** Removes the converter's warning markers and turns them into diagnostics. */
function collectWarnings(root: unknown, file: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  const seen = new Set<object>();
  // One path, pushed and popped: a copy per node cost 0.1 s on kubernetes-api's 3.6 MB (issue 8).
  const tokens: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        tokens.push(String(i));
        walk(node[i]);
        tokens.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    if (WARN_PROPERTY in record) {
      found.push({
        code: 'SWAGGER2_CONVERTED',
        severity: 'warning',
        message: `${file}: converting to OpenAPI 3.0: ${String(record[WARN_PROPERTY])}`,
        file,
        pointer: pointer(...tokens),
        hint: 'The converted operation may lose detail here; check it, or convert the spec by hand.',
      });
      delete record[WARN_PROPERTY];
    }
    for (const key of Object.keys(record)) {
      tokens.push(key);
      walk(record[key]);
      tokens.pop();
    }
  };
  walk(root);
  return found;
}
