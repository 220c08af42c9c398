import type { BodyEncoding, JsonSchema } from '../../templates/runtime/mcp/types.js';
import { FILE_PART_SCHEMA } from '../../templates/runtime/http/file-part.js';
import { isJsonMediaType, mediaTypeEssence } from '../../templates/runtime/http/media-type.js';
import { isObject } from './json-schema.js';
import { getAtPointer, resolveObject } from './refs.js';
import type { ModelContext, OperationSite } from './model-context.js';

export interface BodyInput {
  readonly mediaType: string;
  readonly encoding: BodyEncoding;
  readonly required: boolean;
  readonly schema: JsonSchema | boolean;
  readonly refs: ReadonlySet<string>;
}

/**
 * Picks the one media type the tool sends (JSON first, then forms, then raw)
 * and the schema of the `body` argument. OpenAPI 3.1 §4.8.13.
 */
export function collectRequestBody(
  ctx: ModelContext,
  site: Pick<OperationSite, 'operation' | 'operationPointer'>,
): BodyInput | undefined {
  const { document, registry } = ctx;
  const { operation, operationPointer } = site;
  const resolved = resolveObject(document, operation.requestBody, `${operationPointer}/requestBody`);
  if (!resolved || !isObject(resolved.value.content)) return undefined;
  const content = resolved.value.content;
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) return undefined;
  const chosen = [...mediaTypes].sort((a, b) => rank(a) - rank(b))[0] as string;
  const media = content[chosen];
  const encoding = encodingOf(chosen);
  const declared = isObject(media) && media.schema !== undefined ? media.schema : defaultSchema(encoding);
  const rawSchema = encoding === 'multipart' ? withFileParts(document, declared) : declared;
  const { schema, refs } = registry.convert(rawSchema);
  const description =
    typeof resolved.value.description === 'string' && resolved.value.description.trim() !== ''
      ? resolved.value.description.trim()
      : undefined;
  const withDescription =
    typeof schema === 'object' && description !== undefined && schema.description === undefined
      ? { ...schema, description }
      : schema;
  return {
    mediaType: chosen === '*/*' ? 'application/json' : chosen,
    encoding,
    required: resolved.value.required === true,
    schema: encoding === 'binary' ? binarySchema(withDescription) : withDescription,
    refs,
  };
}

function rank(mediaType: string): number {
  const encoding = encodingOf(mediaType);
  const order: BodyEncoding[] = ['json', 'form', 'multipart', 'text', 'binary'];
  return order.indexOf(encoding) * 10 + (mediaType.toLowerCase().startsWith('application/json') ? 0 : 1);
}

export function encodingOf(mediaType: string): BodyEncoding {
  const type = mediaTypeEssence(mediaType);
  if (isJsonMediaType(type) || type === '*/*' || type === 'application/*') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type.startsWith('text/') || type.endsWith('+xml') || type === 'application/xml') return 'text';
  return 'binary';
}

function defaultSchema(encoding: BodyEncoding): unknown {
  if (encoding === 'json') return {};
  if (encoding === 'form' || encoding === 'multipart') return { type: 'object' };
  return { type: 'string' };
}

/** Raw bytes travel through JSON-RPC as base64 text. */
function binarySchema(schema: JsonSchema | boolean): JsonSchema {
  const description =
    typeof schema === 'object' && typeof schema.description === 'string' ? `${schema.description} ` : '';
  return { type: 'string', contentEncoding: 'base64', description: `${description}(base64-encoded bytes)`.trim() };
}

/**
 * JSON has no bytes: a multipart property holding a file (`format: binary`,
 * or 3.1 `contentMediaType`) becomes the runtime's file-part object, base64
 * content plus optional name and type (templates/runtime/http/file-part.ts).
 * OpenAPI 3.1 §4.8.14.4 "Considerations for File Uploads".
 */
function withFileParts(document: unknown, schema: unknown): unknown {
  const root = deref(document, schema);
  if (!isObject(root) || !isObject(root.properties)) return schema;
  const properties: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(root.properties)) {
    const resolved = deref(document, property);
    if (isFileSchema(resolved)) properties[name] = fileSchema(resolved);
    else if (isObject(resolved) && resolved.type === 'array' && isFileSchema(deref(document, resolved.items))) {
      properties[name] = { type: 'array', items: fileSchema(deref(document, resolved.items)) };
    } else properties[name] = property;
  }
  return { ...root, properties };
}

function deref(document: unknown, schema: unknown): unknown {
  let current = schema;
  for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    current = getAtPointer(document, current.$ref);
  }
  return current;
}

function isFileSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  return (
    (schema.type === 'string' || schema.type === undefined || schema.type === 'file') &&
    (schema.format === 'binary' || schema.type === 'file' || typeof schema.contentMediaType === 'string')
  );
}

function fileSchema(schema: unknown): Record<string, unknown> {
  const description = isObject(schema) && typeof schema.description === 'string' ? schema.description : undefined;
  return description ? { ...FILE_PART_SCHEMA, description } : { ...FILE_PART_SCHEMA };
}
