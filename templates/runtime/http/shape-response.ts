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
  const kind = bodyKind(res.contentType);
  const { mediaType } = kind;
  const { bytes, truncated } = res.body;
  const decoded = decodeText(bytes, kind);

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
  if (kind.json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoded);
    } catch {
      return textResult(decoded);
    }
    const json = JSON.stringify(parsed);
    const result: ToolResult = { content: [{ type: 'text', text: json }] };
    if (tool.outputSchema !== undefined && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      result.structuredContent = parsed as Record<string, unknown>;
      attachJson(parsed, json);
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

/** What shaping needs to know of one `Content-Type` value: worked out once per distinct value (bodyKind). */
interface BodyKind {
  /** The essence (`mediaTypeEssence`); `''` when absent. */
  readonly mediaType: string;
  /** JSON or `+json` (RFC 6839 §3.1). */
  readonly json: boolean;
  /** The text decoder for its charset (fatal when untyped); `undefined` for a binary type. */
  readonly decoder: TextDecoder | undefined;
  /** Why there is no decoder for a text type: the charset is unknown (then UTF-8, leniently). */
  readonly unknownCharset: boolean;
}

/**
 * An upstream sends the same few `Content-Type` values on every answer: each
 * is parsed once (essence, charset, decoder) instead of per call. Bounded, as
 * the values come from the upstream: past the bound a value is parsed per call.
 */
const MAX_BODY_KINDS = 64;
const bodyKinds = new Map<string | null, BodyKind>();

function bodyKind(contentType: string | null): BodyKind {
  let kind = bodyKinds.get(contentType);
  if (kind === undefined) {
    kind = bodyKindOf(contentType);
    if (bodyKinds.size < MAX_BODY_KINDS) bodyKinds.set(contentType, kind);
  }
  return kind;
}

function bodyKindOf(contentType: string | null): BodyKind {
  const mediaType = mediaTypeEssence(contentType);
  const json = isJsonMediaType(mediaType);
  if (mediaType !== '' && !isText(mediaType)) return { mediaType, json, decoder: undefined, unknownCharset: false };
  const charset = mediaTypeParameter(contentType, 'charset') ?? 'utf-8';
  try {
    return { mediaType, json, decoder: decoder(charset, mediaType === ''), unknownCharset: false };
  } catch {
    // An unknown charset: an untyped body is then binary, a typed one UTF-8 read leniently.
    return { mediaType, json, decoder: undefined, unknownCharset: true };
  }
}

/** The body as text, or `undefined` when it is binary (or untyped and not valid UTF-8). */
function decodeText(bytes: Uint8Array, kind: BodyKind): string | undefined {
  const untyped = kind.mediaType === '';
  if (kind.decoder === undefined) {
    if (!kind.unknownCharset || untyped) return undefined;
    return decoder('utf-8', false).decode(bytes);
  }
  try {
    return kind.decoder.decode(bytes);
  } catch {
    // Only a fatal decoder throws: untyped bytes that are not valid UTF-8 are binary.
    return untyped ? undefined : decoder('utf-8', false).decode(bytes);
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
