import type { CallToolResult } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { rememberJson, rememberedJson } from '../../../templates/runtime/http/compact-json.js';
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
    rememberJson(structured, '{ "a": 1, "b": ["x", { "c": null }] }');
    const result: CallToolResult = { content: [{ type: 'text', text: 't' }], structuredContent: structured };
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
    expect(rememberedJson(shaped.structuredContent!)).toBe('{"id":1,"name":"aé\\"","tags":[]}');
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
