import type { ToolDefinition } from '../mcp/types.js';
import { isJsonMediaType, mediaTypeEssence, mediaTypeParameter } from './media-type.js';
import { attachJson } from './compact-json.js';
import type { CappedBody } from './read-capped-body.js';
import { errorResult, textResult, type ToolContent, type ToolResult } from './tool-result.js';

/** The parts of an upstream response that shaping needs. */
export interface UpstreamResponse {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string | null;
  readonly location: string | null;
  readonly body: CappedBody;
  /** The byte limit that truncated the body, for the message. */
  readonly maxBytes: number;
  /**
   * The request URL without its query (which may hold secrets): the `uri` of
   * an embedded binary resource. `upstream:response` when absent.
   */
  readonly url?: string;
}

/** Error bodies are trimmed to this many characters. */
const MAX_ERROR_BODY_CHARS = 2048;

const TEXT_TYPES = new Set([
  'application/xml',
  'application/javascript',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/graphql',
  'application/x-ndjson',
]);

/**
 * Turns an upstream response into a tool result (DESIGN §6):
 * - 2xx JSON (`application/json`, `+json`, RFC 6839 §3.1): compact JSON text,
 *   plus `structuredContent` when the tool has an `outputSchema` and the value
 *   is a JSON object; unparsable JSON is returned as text.
 * - 2xx text: the text. 2xx binary, as MCP content (bounded by the response
 *   cap): `image/*` an image, `audio/*` audio (base64 `data` and `mimeType`),
 *   anything else an embedded resource with a base64 `blob`. SVG and other
 *   `+xml`/`+json` types are text, which a model can read.
 * - non-2xx (redirects are not followed): `isError` with `HTTP <status> <text>`
 *   and the body trimmed to {@link MAX_ERROR_BODY_CHARS} characters.
 * - a truncated 2xx body: `isError`, since partial data must not pass for a result.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-result
 */
export function shapeResponse(tool: ToolDefinition, res: UpstreamResponse): ToolResult {
  const mediaType = mediaTypeEssence(res.contentType);
  const { bytes, truncated } = res.body;
  const decoded = decodeText(bytes, mediaType, res.contentType);

  if (res.status < 200 || res.status > 299) {
    const status = statusLine(res);
    const redirect =
      res.location !== null && res.status >= 300 && res.status < 400
        ? ` (redirect to ${res.location} not followed)`
        : '';
    const detail = decoded === undefined ? binaryNote(mediaType, bytes.byteLength) : trimBody(decoded);
    return errorResult(detail === '' ? `${status}${redirect}` : `${status}${redirect}\n${detail}`);
  }
  if (truncated) {
    const note = `The upstream response (${statusLine(res)}, ${mediaType || 'no content type'}) exceeds the ${res.maxBytes}-byte limit and was truncated.`;
    return decoded === undefined ? errorResult(note) : errorResult(note, decoded);
  }
  if (bytes.byteLength === 0) return textResult(statusLine(res));
  if (decoded === undefined) return { content: [binaryContent(bytes, mediaType, res.url)] };
  if (isJsonMediaType(mediaType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoded);
    } catch {
      return textResult(decoded);
    }
    const json = JSON.stringify(parsed);
    const result = textResult(json);
    if (tool.outputSchema !== undefined && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      result.structuredContent = parsed as Record<string, unknown>;
      attachJson(result, parsed, json);
    }
    return result;
  }
  return textResult(decoded);
}

/** `HTTP 404 Not Found`: only messages need it, so a JSON answer does not build it. */
function statusLine(res: UpstreamResponse): string {
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

function isText(mediaType: string): boolean {
  return (
    mediaType.startsWith('text/') ||
    isJsonMediaType(mediaType) ||
    TEXT_TYPES.has(mediaType) ||
    /\+(xml|yaml)$/.test(mediaType)
  );
}

/** The body as text, or `undefined` when it is binary (or untyped and not valid UTF-8). */
function decodeText(bytes: Uint8Array, mediaType: string, contentType: string | null): string | undefined {
  if (mediaType !== '' && !isText(mediaType)) return undefined;
  const charset = mediaTypeParameter(contentType, 'charset') ?? 'utf-8';
  try {
    return decoder(charset, mediaType === '').decode(bytes);
  } catch {
    return mediaType === '' ? undefined : decoder('utf-8', false).decode(bytes);
  }
}

const decoders = new Map<string, TextDecoder>();

/** A decoder per charset, kept (a few, whatever upstreams send): `decode` without `stream` keeps no state between calls. */
function decoder(charset: string, fatal: boolean): TextDecoder {
  const key = `${fatal ? '!' : ''}${charset.toLowerCase()}`;
  let found = decoders.get(key);
  if (!found) {
    found = new TextDecoder(charset, { fatal });
    if (decoders.size < 16) decoders.set(key, found);
  }
  return found;
}

function binaryNote(mediaType: string, size: number): string {
  return `Binary response: ${mediaType || 'unknown content type'}, ${size} bytes.`;
}

/** MCP image, audio or embedded-resource content for a binary body. */
function binaryContent(bytes: Uint8Array, mediaType: string, url: string | undefined): ToolContent {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const mimeType = mediaType || 'application/octet-stream';
  if (/^image\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(mediaType)) return { type: 'image', data, mimeType };
  if (/^audio\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(mediaType)) return { type: 'audio', data, mimeType };
  return { type: 'resource', resource: { uri: url ?? 'upstream:response', mimeType, blob: data } };
}

function trimBody(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_ERROR_BODY_CHARS ? `${trimmed.slice(0, MAX_ERROR_BODY_CHARS)}…` : trimmed;
}
