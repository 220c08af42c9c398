import { describe, expect, it } from 'vitest';
import { createSecretRedactor, redactToolResult } from '../../templates/runtime/http/secret-redactor.js';
import type { ToolResult } from '../../templates/runtime/http/tool-result.js';

const SECRET = 's3cr3t-key-value';
const image = (bytes: Buffer): ToolResult => ({
  content: [{ type: 'image', data: bytes.toString('base64'), mimeType: 'image/png' }],
});

describe('redacting one call (scrubber)', () => {
  it('redacts the call secrets in every encoding, with the server secrets', () => {
    const scrub = createSecretRedactor(['server-secret']).scrubber(['a b&c=d']);
    expect(scrub.idle).toBe(false);
    expect(scrub.redact('server-secret / a b&c=d / a%20b%26c%3Dd / a+b%26c%3Dd')).toBe(
      '[redacted] / [redacted] / [redacted] / [redacted]',
    );
  });

  it('is idle when no secret is known, and a result passes through untouched', () => {
    const redactor = createSecretRedactor();
    expect(redactor.scrubber(['ab']).idle).toBe(true); // too short to be a secret
    const result: ToolResult = { content: [{ type: 'text', text: 'x' }], structuredContent: { a: 1 } };
    expect(redactToolResult(result, redactor, [])).toBe(result);
  });

  it('withholds a binary result when the response body it came from holds a secret', () => {
    const redactor = createSecretRedactor([SECRET]);
    const body = Buffer.from(`PNG...${SECRET}...`);
    // The body is scanned as received: the contents are not decoded back from base64.
    const withheld = redactToolResult(image(Buffer.from('harmless')), redactor, [], body);
    expect(withheld.isError).toBe(true);
    expect(JSON.stringify(withheld)).toMatch(/withheld/);
    expect(redactToolResult(image(body), redactor, []).isError).toBe(true);
    expect(redactToolResult(image(Buffer.from('harmless')), redactor, []).isError).toBeUndefined();
  });
});

describe('secrets every encoding leaves unchanged (JWTs, base64url keys)', () => {
  it('are redacted raw, percent-encoded and in JSON alike, as one form', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl-_x';
    const scrub = createSecretRedactor().scrubber([jwt]);
    const text = `a ${jwt} b ${encodeURIComponent(jwt)} c ${JSON.stringify({ t: jwt })}`;
    expect(scrub.redact(text)).toBe('a [redacted] b [redacted] c {"t":"[redacted]"}');
  });

  it('still redacts every form of a secret that encodings change', () => {
    const scrub = createSecretRedactor().scrubber(['p@ss w~rd']);
    expect(scrub.redact('p@ss w~rd p%40ss%20w~rd p%40ss+w%7Erd')).toBe('[redacted] [redacted] [redacted]');
  });
});

describe('the scrubber shared by calls without secrets of their own', () => {
  it('is one object while the known secrets stay the same, and still redacts them', () => {
    const redactor = createSecretRedactor([SECRET]);
    expect(redactor.scrubber()).toBe(redactor.scrubber([]));
    const result: ToolResult = {
      content: [{ type: 'text', text: `{"key":"${SECRET}"}` }],
      structuredContent: { key: SECRET },
    };
    expect(redactToolResult(result, redactor, [])).toEqual({
      content: [{ type: 'text', text: '{"key":"[redacted]"}' }],
      structuredContent: { key: '[redacted]' },
    });
  });

  it('is rebuilt when a secret becomes known later (a token just obtained)', () => {
    const redactor = createSecretRedactor();
    const idle = redactor.scrubber();
    expect(idle.idle).toBe(true);
    expect(redactor.redact('token-abc-123')).toBe('token-abc-123');
    redactor.addToken('token-abc-123');
    expect(redactor.scrubber()).not.toBe(idle);
    expect(redactor.redact('token-abc-123')).toBe('[redacted]');
    const result: ToolResult = { content: [{ type: 'text', text: 'echo token-abc-123' }] };
    expect(redactToolResult(result, redactor, [])).toEqual({ content: [{ type: 'text', text: 'echo [redacted]' }] });
  });
});
