import { UpstreamError } from './upstream-error.js';

/**
 * How a tool argument carries a file for a `multipart/form-data` part.
 * JSON has no bytes, so a `format: binary` (or `contentMediaType`) property
 * of a multipart body is exposed to the model as this object: `content` is
 * the file's bytes in base64 (RFC 4648 §4, or the URL-safe alphabet of §5).
 * @see https://spec.openapis.org/oas/v3.1.0#considerations-for-file-uploads
 */
export interface FilePart {
  readonly content: string;
  readonly filename?: string;
  readonly contentType?: string;
}

/** The JSON Schema of {@link FilePart}, for the generator to put in input schemas. */
export const FILE_PART_SCHEMA = {
  type: 'object',
  properties: {
    content: { type: 'string', contentEncoding: 'base64', description: 'The file content, base64-encoded.' },
    filename: { type: 'string' },
    contentType: { type: 'string', description: 'The media type of the file, e.g. image/png.' },
  },
  required: ['content'],
  additionalProperties: false,
} as const;

const FILE_PART_KEYS = new Set(['content', 'filename', 'contentType']);

/** True for an object with a string `content` and no keys other than those of {@link FilePart}. */
export function isFilePart(value: unknown): value is FilePart {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['content'] === 'string' &&
    Object.keys(record).every((k) => FILE_PART_KEYS.has(k)) &&
    (record['filename'] === undefined || typeof record['filename'] === 'string') &&
    (record['contentType'] === undefined || typeof record['contentType'] === 'string')
  );
}

/**
 * Decodes base64 strictly: `Buffer.from(s, 'base64')` silently skips invalid
 * characters, which would upload different bytes than the caller meant.
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 */
export function decodeBase64(value: string, what: string): Uint8Array<ArrayBuffer> {
  const compact = value.replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new UpstreamError('invalid_body', `${what} is not valid base64`);
  }
  return new Uint8Array(Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64'));
}
