import type { CallToolResult } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { attachJson, attachedJson } from '../../../templates/runtime/http/compact-json.js';
import { createSecretRedactor, redactToolResult } from '../../../templates/runtime/http/secret-redactor.js';
import { shapeResponse } from '../../../templates/runtime/http/shape-response.js';
import { resultMessage } from '../../../templates/runtime/server/fast-lane.js';
import { tool } from '../support/recording-server.js';

// The fast lane writes a structured result's JSON once: the text shaped from the upstream body is
// spliced into the answer. The answer must be exactly what JSON.stringify of the message gives.

const stringified = (result: CallToolResult, id: string | number) => JSON.stringify({ result, jsonrpc: '2.0', id });

describe('resultMessage', () => {
  it('splices the remembered JSON of an unmodified structured result', () => {
    const structured = { a: 1, b: ['x', { c: null }] };
    // A text JSON.stringify would never write: seeing it in the answer proves the splice.
    const result: CallToolResult = { content: [{ type: 'text', text: 't' }], structuredContent: structured };
    attachJson(structured, '{ "a": 1, "b": ["x", { "c": null }] }');
    expect(resultMessage(result, 7)).toBe(
      '{"result":{"content":[{"type":"text","text":"t"}],"structuredContent":{ "a": 1, "b": ["x", { "c": null }] }},"jsonrpc":"2.0","id":7}',
    );
  });

  it('answers exactly as JSON.stringify for results shaped from an upstream body, and for every other shape', () => {
    const shaped = shapeResponse(tool({}, { outputSchema: { type: 'object' } }), {
      status: 200,
      statusText: 'OK',
      contentType: 'application/json',
      location: null,
      body: { bytes: Buffer.from('{ "id": 1, "name": "a\\u00e9\\"", "tags": [ ] }'), truncated: false },
      maxBytes: 1024,
    });
    expect(shaped.content).toEqual([{ type: 'text', text: '{"id":1,"name":"aé\\"","tags":[]}' }]);
    expect(attachedJson(shaped.structuredContent)).toBe('{"id":1,"name":"aé\\"","tags":[]}');
    // Tied to the very object: a copy of the structured value does not use it.
    expect(attachedJson({ ...shaped.structuredContent })).toBeUndefined();
    const results: CallToolResult[] = [
      shaped as CallToolResult,
      { content: [{ type: 'text', text: 'plain' }] },
      { ...(shaped as CallToolResult), isError: true },
      { structuredContent: shaped.structuredContent!, content: shaped.content },
      { content: [], structuredContent: { result: shaped.structuredContent } },
    ];
    for (const result of results)
      for (const id of [1, 'req "x"']) expect(resultMessage(result, id)).toBe(stringified(result, id));
  });
});

describe('the JSON a shaped result carries', () => {
  const shape = (text: string) =>
    shapeResponse(tool({}, { outputSchema: { type: 'object' } }), {
      status: 200,
      statusText: 'OK',
      contentType: 'application/json',
      location: null,
      body: { bytes: Buffer.from(text), truncated: false },
      maxBytes: 1024,
    });

  it('is invisible to comparisons and JSON, and survives a redaction that changes nothing', () => {
    const shaped = shape('{"id":1}');
    expect(shaped).toEqual({ content: [{ type: 'text', text: '{"id":1}' }], structuredContent: { id: 1 } });
    expect(Object.keys(shaped)).toEqual(['content', 'structuredContent']);
    const redacted = redactToolResult(shaped, createSecretRedactor(['unrelated-secret']));
    expect(redacted).not.toBe(shaped);
    expect(attachedJson(redacted.structuredContent)).toBe('{"id":1}');
  });

  it('is what a redaction scans, rather than a second JSON.stringify of the value', () => {
    // A remembered text that differs from the value's own JSON (never so in the runtime) shows which was scanned.
    const structured = { note: 'nothing secret' };
    attachJson(structured, '{"note":"s3cr3t-value"}');
    const result = { content: [{ type: 'text' as const, text: 'x' }], structuredContent: structured };
    const redacted = redactToolResult(result, createSecretRedactor(['s3cr3t-value']));
    // The scan found the secret in the remembered text, so the value was walked (into a copy).
    expect(redacted.structuredContent).not.toBe(structured);
    expect(redacted.structuredContent).toEqual(structured);
  });

  it('is not used once redaction replaced the structured value', () => {
    const shaped = shape('{"token":"s3cr3t-value"}');
    const redacted = redactToolResult(shaped, createSecretRedactor(['s3cr3t-value']));
    expect(redacted.structuredContent).toEqual({ token: '[redacted]' });
    expect(attachedJson(redacted.structuredContent)).toBeUndefined();
    expect(resultMessage(redacted as CallToolResult, 1)).toBe(
      JSON.stringify({ result: redacted, jsonrpc: '2.0', id: 1 }),
    );
    expect(resultMessage(redacted as CallToolResult, 1)).not.toMatch(/s3cr3t/);
  });
});
