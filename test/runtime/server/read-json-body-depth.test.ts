import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, readJsonBody } from '../../../templates/runtime/server/read-json-body.js';

// Short bodies skip the depth scan (they cannot nest deeper than half their length): the limit
// must still hold exactly at the boundary, where the shortest too-deep body is just long enough.

function request(text: string): IncomingMessage {
  const stream = Readable.from([Buffer.from(text, 'utf8')]) as unknown as IncomingMessage;
  stream.headers = { 'content-length': String(Buffer.byteLength(text)) };
  return stream;
}

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('readJsonBody depth limit at the skip boundary', () => {
  it('accepts exactly MAX_JSON_DEPTH levels (the longest body the scan may skip)', async () => {
    expect(nested(MAX_JSON_DEPTH)).toHaveLength(2 * MAX_JSON_DEPTH);
    expect(await readJsonBody(request(nested(MAX_JSON_DEPTH)), 1 << 20)).toMatchObject({ ok: true });
  });

  it('refuses one level more, the shortest body that is scanned', async () => {
    expect(await readJsonBody(request(nested(MAX_JSON_DEPTH + 1)), 1 << 20)).toEqual({
      ok: false,
      status: 400,
      message: `request body nests deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });

  it('refuses deep nesting inside a longer body', async () => {
    const text = `{"a":"${'x'.repeat(300)}","b":${nested(MAX_JSON_DEPTH + 5)}}`;
    expect(await readJsonBody(request(text), 1 << 20)).toMatchObject({ ok: false, status: 400 });
  });
});
