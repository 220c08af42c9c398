import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { positionOf } from '../load/parse-text.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where the value at a JSON pointer's tokens (or, with `key`, its key) starts in the text. */
export type Locate = (tokens: readonly string[], key?: boolean) => Position | undefined;

export type ParsedConfig =
  | { readonly ok: true; readonly value: unknown; readonly locate: Locate }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parses a configuration file: `.json` as strict JSON, anything else as YAML
 * 1.2 (core schema). A duplicate key is an error, not "the last one wins":
 * two values for one setting that guards access must not be resolved silently.
 */
export function parseConfig(text: string, file: string): ParsedConfig {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/\.json$/i.test(file)) {
    try {
      JSON.parse(body);
    } catch (error) {
      const message = (error as Error).message;
      const offset = Number(
        / at position (\d+)/.exec(message)?.[1] ?? (/end of JSON input/.test(message) ? body.length : 0),
      );
      return failed(
        file,
        message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, ''),
        positionOf(body, offset),
      );
    }
  }
  const document = parseDocument(body, { merge: false });
  const error = document.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    return failed(file, reason, at ? { line: at.line, column: at.col } : { line: 1, column: 1 });
  }
  let value: unknown;
  try {
    // A config has no use for aliases; a small cap stops alias bombs.
    value = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (cause) {
    return failed(file, (cause as Error).message, { line: 1, column: 1 });
  }
  const locate: Locate = (tokens, key = false) => {
    let node: unknown = document.contents;
    let keyNode: unknown;
    for (const token of tokens) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === token);
        if (!pair) return undefined;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(token)];
      } else {
        return undefined;
      }
    }
    const target = (key && keyNode ? keyNode : node) as Node | undefined;
    const offset = target?.range?.[0];
    return offset === undefined ? undefined : positionOf(body, offset);
  };
  return { ok: true, value, locate };
}

function failed(file: string, reason: string, at: Position): ParsedConfig {
  return {
    ok: false,
    diagnostics: [
      {
        code: 'CONFIG_PARSE',
        severity: 'error',
        message: `${file}:${at.line}:${at.column}: ${reason}`,
        file,
        line: at.line,
        column: at.column,
        hint: /\.json$/i.test(file)
          ? 'Fix the syntax at this position: the file must be strict JSON (no comments or trailing commas).'
          : 'Fix the syntax at this position: the file must be valid YAML, each key once.',
      },
    ],
  };
}
