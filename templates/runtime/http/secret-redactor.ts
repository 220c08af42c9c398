import { attachedJson } from './compact-json.js';
import { encodeQueryComponent } from './percent-encode.js';
import type { ToolContent, ToolResult } from './tool-result.js';

/** What replaces a secret in any text the runtime hands out. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not redacted: replacing every `ab` of a
 * response would garble it, and such a value protects nothing anyway.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Removes the server's own upstream secrets from text it hands to a caller or
 * writes to a log. Built once per server with the secrets known at start
 * (credentials from the environment); tokens are added as they are obtained.
 */
export interface SecretRedactor {
  /** Adds a secret for the server's lifetime (credentials from the environment, client secrets). */
  add(secret: string): void;
  /**
   * Adds a token just obtained. Only the most recent {@link MAX_RECENT_TOKENS}
   * are kept (token exchange yields one per caller): redacting a call's own
   * token is the job of `redact`'s `extra`.
   */
  addToken(token: string): void;
  /** `text` without any known secret, nor any of `extra` (the secrets of this one call). */
  redact(text: string, extra?: readonly string[]): string;
  /** True when the bytes hold a secret as sent (raw or percent-encoded), e.g. in a binary body. */
  foundIn(bytes: Uint8Array, extra?: readonly string[]): boolean;
  /** `redact` and `foundIn` for the texts of one call, with the encodings of `extra` computed once. */
  scrubber(extra?: readonly string[]): Scrubber;
}

/** The redaction of one call: the redactor's secrets plus that call's own. */
export interface Scrubber {
  /** No secret at all is known: every text is returned as it is. */
  readonly idle: boolean;
  redact(text: string): string;
  foundIn(bytes: Uint8Array): boolean;
}

/** How many obtained tokens a redactor remembers besides its permanent secrets. */
export const MAX_RECENT_TOKENS = 32;

/**
 * A redactor for `secrets` (empty and short ones are ignored). Each secret is
 * matched in the forms the runtime itself produces or an upstream echoes:
 * raw, percent-encoded as sent in a query or cookie (either hex case),
 * `encodeURIComponent`, form-urlencoded (space as `+`) and JSON-escaped.
 * Base64 forms (HTTP Basic `id:secret`, RFC 7617 §2) are secrets of their own:
 * whoever builds them adds them too.
 *
 * Not done: a secret split across two text items, or re-encoded by the
 * upstream in a way the runtime never used (e.g. base64 of a query key).
 */
export function createSecretRedactor(secrets: Iterable<string> = []): SecretRedactor {
  const permanent = new Set<string>();
  const recent = new Map<string, readonly string[]>();
  let pattern: RegExp | undefined;
  let needles: Buffer[] = [];

  /** The scrubber of calls without secrets of their own, dropped whenever the known secrets change. */
  let shared: Scrubber | undefined;
  const rebuild = (): void => {
    shared = undefined;
    const all = new Set([...permanent, ...[...recent.values()].flat()]);
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...all].sort((a, b) => b.length - a.length);
    pattern = sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    needles = sorted.map((f) => Buffer.from(f, 'utf8'));
  };
  const known = (secret: string) => permanent.has(secret) || recent.has(secret);
  const add = (secret: string): void => {
    if (secret.length < MIN_SECRET_LENGTH || permanent.has(secret)) return;
    for (const form of encodings(secret)) permanent.add(form);
    rebuild();
  };
  for (const secret of secrets) add(secret);

  return {
    add,
    addToken(token) {
      if (token.length < MIN_SECRET_LENGTH || known(token)) return;
      recent.set(token, encodings(token));
      if (recent.size > MAX_RECENT_TOKENS) recent.delete(recent.keys().next().value!);
      rebuild();
    },
    redact(text, extra = []) {
      return scrubber(extra).redact(text);
    },
    foundIn(bytes, extra = []) {
      return scrubber(extra).foundIn(bytes);
    },
    scrubber,
  };

  function scrubber(extra: readonly string[] = []): Scrubber {
    // Most calls bring no secret of their own: one scrubber per set of known secrets serves them all.
    if (extra.length === 0) return (shared ??= makeScrubber([]));
    return makeScrubber(extra);
  }

  function makeScrubber(extra: readonly string[]): Scrubber {
    // This call's own secrets, in every encoding, longest first (a secret containing another goes whole).
    const forms = extra
      .filter((s) => s.length >= MIN_SECRET_LENGTH && !known(s))
      .flatMap((s) => [...new Set(encodings(s))].sort((a, b) => b.length - a.length));
    const current = pattern;
    const permanentNeedles = needles;
    return {
      idle: current === undefined && forms.length === 0,
      redact(text) {
        let out = current === undefined ? text : text.replace(current, REDACTED);
        for (const form of forms) out = out.replaceAll(form, REDACTED);
        return out;
      },
      foundIn(bytes) {
        if (permanentNeedles.length === 0 && forms.length === 0) return false;
        const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        return permanentNeedles.some((n) => buffer.includes(n)) || forms.some((f) => buffer.includes(Buffer.from(f)));
      },
    };
  }
}

/**
 * A tool result with every secret redacted: text items, embedded text
 * resources and `structuredContent` (keys and string values). Binary content
 * that holds a secret cannot be redacted without corrupting it: the result
 * becomes an error saying the content was withheld.
 */
export function redactToolResult(
  result: ToolResult,
  redactor: SecretRedactor,
  extra: readonly string[] = [],
  /** The response body the binary contents were encoded from: scanned as is instead of decoding them again. */
  body?: Uint8Array,
): ToolResult {
  const scrub = redactor.scrubber(extra);
  if (scrub.idle) return result;
  const binary = result.content.filter((c) => binaryOf(c) !== undefined);
  const withheld =
    binary.length > 0 &&
    (body !== undefined ? scrub.foundIn(body) : binary.some((c) => scrub.foundIn(Buffer.from(binaryOf(c)!, 'base64'))));
  if (withheld) {
    return {
      isError: true,
      content: [{ type: 'text', text: 'The upstream response contains a credential of this server; it was withheld.' }],
    };
  }
  const content = result.content.map((c): ToolContent => {
    if (c.type === 'text') return { ...c, text: scrub.redact(c.text) };
    if (c.type === 'resource' && 'text' in c.resource)
      return { ...c, resource: { ...c.resource, text: scrub.redact(c.resource.text) } };
    return c;
  });
  const structured = result.structuredContent;
  if (structured === undefined) return { ...result, content };
  // Walking a large value costs far more than one scan of its JSON: walk only when the scan finds
  // a secret (its JSON-escaped form is one of those matched, so keys and escaped strings count).
  // The JSON shaped from this very object when there is one (compact-json.ts): not written twice.
  const json = attachedJson(structured) ?? JSON.stringify(structured);
  // Unchanged: the same structured object, so that JSON still holds for the answer.
  if (scrub.redact(json) === json) return { ...result, content };
  return {
    ...result,
    content,
    structuredContent: redactValue(structured, (text) => scrub.redact(text)) as Record<string, unknown>,
  };
}

/** `log` with every line redacted: for the operator log (`server/main.ts`), so no line carries a secret. */
export function redactingLog(log: (line: string) => void, redactor: SecretRedactor): (line: string) => void {
  return (line) => log(redactor.redact(line));
}

function binaryOf(c: ToolContent): string | undefined {
  if (c.type === 'image' || c.type === 'audio') return c.data;
  if (c.type === 'resource' && 'blob' in c.resource) return c.resource.blob;
  return undefined;
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactValue(v, redact)]));
  }
  return value;
}

/** Characters none of the encodings below changes (RFC 3986 unreserved, less `~`, which form encoding escapes). */
const UNCHANGED_BY_ENCODING = /^[A-Za-z0-9._-]+$/;

function encodings(secret: string): string[] {
  // A JWT or an API key of base64url characters is the same string in every form: one form, not seven.
  if (UNCHANGED_BY_ENCODING.test(secret)) return [secret];
  const query = encodeQueryComponent(secret);
  const form = new URLSearchParams([['', secret]]).toString().slice(1);
  const json = JSON.stringify(secret).slice(1, -1);
  return [secret, query, lowerHex(query), safe(() => encodeURIComponent(secret)), form, lowerHex(form), json].filter(
    (f): f is string => f !== undefined,
  );
}

function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (triple) => triple.toLowerCase());
}

/** `encodeURIComponent` throws on lone surrogates. */
function safe(encode: () => string): string | undefined {
  try {
    return encode();
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
