import type { JsonSchema } from '../../templates/runtime/mcp/types.js';
import { isJsonMediaType, mediaTypeEssence } from '../../templates/runtime/http/media-type.js';
import { isObject } from './json-schema.js';
import { getAtPointer, resolveObject } from './refs.js';
import type { ModelContext, OperationSite } from './model-context.js';

export interface ResponseInput {
  /** MCP requires `outputSchema` to be `type: "object"` at the root (2025-11-25 "Output Schema"). */
  readonly outputSchema?: JsonSchema;
  readonly refs: ReadonlySet<string>;
  /** The media type to ask for, from the success response. */
  readonly accept?: string;
}

/** The first 2xx response in status order (`200` ... `299`, then `2XX`). OpenAPI 3.1 §4.8.16. */
export function collectResponse(
  ctx: ModelContext,
  site: Pick<OperationSite, 'operation' | 'operationPointer'>,
): ResponseInput {
  const { document, registry } = ctx;
  const { operation, operationPointer } = site;
  const responses = isObject(operation.responses) ? operation.responses : {};
  const success = Object.keys(responses)
    .filter((code) => /^2(\d\d|XX)$/i.test(code))
    .sort()[0];
  if (success === undefined) return { refs: new Set() };
  const resolved = resolveObject(document, responses[success], `${operationPointer}/responses/${success}`);
  if (!resolved || !isObject(resolved.value.content)) return { refs: new Set() };
  const mediaTypes = Object.keys(resolved.value.content);
  const json = mediaTypes.find((m) => isJsonMediaType(mediaTypeEssence(m)));
  const accept = json ?? mediaTypes[0];
  const media = json === undefined ? undefined : resolved.value.content[json];
  if (!isObject(media) || media.schema === undefined) return accept ? { refs: new Set(), accept } : { refs: new Set() };
  if (!isObjectSchema(document, media.schema)) return { refs: new Set(), ...(accept ? { accept } : {}) };

  // Inline the top-level `$ref` so the root is the object schema itself.
  const root = resolveSchemaRef(document, media.schema);
  const { schema, refs } = registry.convert(root);
  if (typeof schema !== 'object') return { refs: new Set(), ...(accept ? { accept } : {}) };
  return { outputSchema: { ...schema, type: 'object' }, refs, ...(accept ? { accept } : {}) };
}

function resolveSchemaRef(document: unknown, schema: unknown): unknown {
  let current = schema;
  for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    current = getAtPointer(document, current.$ref);
  }
  return current;
}

/** Only a plain object schema becomes an output schema: nullable, unions and arrays do not satisfy `type: "object"`. */
function isObjectSchema(document: unknown, schema: unknown): boolean {
  const s = resolveSchemaRef(document, schema);
  if (!isObject(s)) return false;
  if (s.nullable === true) return false;
  if (s.type === 'object') return true;
  return s.type === undefined && isObject(s.properties) && s.oneOf === undefined && s.anyOf === undefined;
}
