/**
 * One content item of a tool result: text, image, audio or an embedded resource.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-result
 */
export type ToolContent =
  | { type: 'text'; text: string }
  /** `data` is base64 (RFC 4648 §4). */
  | { type: 'image'; data: string; mimeType: string }
  | { type: 'audio'; data: string; mimeType: string }
  | {
      type: 'resource';
      resource: { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };
    };

/**
 * The result of one MCP `tools/call`, as the runtime produces it.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-result
 */
export interface ToolResult {
  content: ToolContent[];
  /** Only when the tool declares an `outputSchema` and the result is a JSON object. */
  structuredContent?: Record<string, unknown>;
  /** A tool execution error the model can read and act on, not a protocol error. */
  isError?: boolean;
}

/** A successful result made of text items. */
export function textResult(...texts: string[]): ToolResult {
  return { content: texts.map((text) => ({ type: 'text', text })) };
}

/** A tool execution error (`isError: true`) made of text items. */
export function errorResult(...texts: string[]): ToolResult {
  return { ...textResult(...texts), isError: true };
}
