import type { ToolAnnotations } from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { unescapePointerToken } from '../json-pointer.js';
import { isObject } from './json-schema.js';

/** What the spec's vendor extensions say about one operation's tool. */
export interface ExtensionHints {
  /** An explicit tool name: `x-mcp-name`, else `x-speakeasy-mcp.name`. */
  readonly name?: string;
  readonly nameSource?: string;
  readonly title?: string;
  readonly description?: string;
  /** Set when the spec excludes the operation: which extension said so. */
  readonly excludedBy?: string;
  /** `x-mcp-roles` of the path item and the operation, in that order (not yet sorted). */
  readonly roles: readonly string[];
  /** MCP hints from `x-speakeasy-mcp` (its own keys or its `annotations` object). */
  readonly annotations: Partial<Omit<ToolAnnotations, 'title'>>;
}

export interface ExtensionSite {
  readonly document: Record<string, unknown>;
  readonly pathItem: Record<string, unknown>;
  readonly pathPointer: string;
  readonly operation: Record<string, unknown>;
  readonly operationPointer: string;
}

const HINT_KEYS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/**
 * Reads the extensions that shape a tool, so a spec written for another
 * generator works unchanged:
 * - ours: `x-mcp-name`, `x-mcp-title`, `x-mcp-description`, `x-mcp-exclude` (operation or
 *   path item), `x-mcp-roles` (operation and path item, united);
 * - Speakeasy's `x-speakeasy-mcp` on an operation: `name`, `title`, `description`,
 *   `disabled`, the four MCP hints. Its `scopes` are Speakeasy's tool sets chosen at
 *   start-up, not OAuth scopes, so they do not guard anything here;
 * - openapi-mcp-generator's `x-mcp` filter: a boolean (or "true"/"false", "yes"/"no",
 *   "on"/"off", "1"/"0") on the operation, else the path item, else the document root.
 *
 * The most specific place wins, and our own keys win over the others. A value of the
 * wrong type is reported (EXTENSION_INVALID) and ignored.
 */
export function extensionHints(site: ExtensionSite, diagnostics: Diagnostic[]): ExtensionHints {
  const { operation: op, operationPointer: at, pathItem, pathPointer } = site;
  // Path-item and root values are read once per operation; report each bad value once.
  const invalid = (pointer: string, expected: string) =>
    diagnostics.some((d) => d.code === 'EXTENSION_INVALID' && d.pointer === pointer) ||
    diagnostics.push({
      code: 'EXTENSION_INVALID',
      severity: 'warning',
      message: `${unescapePointerToken(pointer.split('/').pop() ?? '')} should be ${expected}; it is ignored.`,
      pointer,
    });
  const text = (holder: Record<string, unknown>, key: string, pointer: string): string | undefined => {
    const value = holder[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    invalid(`${pointer}/${key}`, 'a non-empty string');
    return undefined;
  };
  const flag = (holder: Record<string, unknown>, key: string, pointer: string): boolean | undefined => {
    const value = holder[key];
    if (value === undefined || typeof value === 'boolean') return value;
    invalid(`${pointer}/${key}`, 'true or false');
    return undefined;
  };

  let speakeasy: Record<string, unknown> = {};
  const speakeasyAt = `${at}/x-speakeasy-mcp`;
  if (isObject(op['x-speakeasy-mcp'])) speakeasy = op['x-speakeasy-mcp'];
  else if (op['x-speakeasy-mcp'] !== undefined) invalid(speakeasyAt, 'an object');

  const ownName = text(op, 'x-mcp-name', at);
  const speakeasyName = text(speakeasy, 'name', speakeasyAt);
  const name = ownName ?? speakeasyName;
  const title = text(op, 'x-mcp-title', at) ?? text(speakeasy, 'title', speakeasyAt);
  const description = text(op, 'x-mcp-description', at) ?? text(speakeasy, 'description', speakeasyAt);

  const exclusions: [string, boolean | undefined][] = [
    ['x-mcp-exclude on the operation', flag(op, 'x-mcp-exclude', at)],
    ['x-speakeasy-mcp.disabled', flag(speakeasy, 'disabled', speakeasyAt)],
    ['x-mcp: false on the operation', invert(loose(op, at, invalid))],
    ['x-mcp-exclude on the path item', flag(pathItem, 'x-mcp-exclude', pathPointer)],
    ['x-mcp: false on the path item', invert(loose(pathItem, pathPointer, invalid))],
    ['x-mcp: false at the document root', invert(loose(site.document, '', invalid))],
  ];
  const decided = exclusions.find(([, excluded]) => excluded !== undefined);
  const excludedBy = decided?.[1] === true ? decided[0] : undefined;

  const roles = [...rolesAt(pathItem, pathPointer, invalid), ...rolesAt(op, at, invalid)];

  const annotations: Partial<Record<(typeof HINT_KEYS)[number], boolean>> = {};
  const nested = isObject(speakeasy.annotations) ? speakeasy.annotations : {};
  for (const key of HINT_KEYS) {
    const value = flag(speakeasy, key, speakeasyAt) ?? flag(nested, key, `${speakeasyAt}/annotations`);
    if (value !== undefined) annotations[key] = value;
  }

  return {
    ...(name !== undefined ? { name, nameSource: ownName !== undefined ? 'x-mcp-name' : 'x-speakeasy-mcp.name' } : {}),
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(excludedBy ? { excludedBy } : {}),
    roles,
    annotations,
  };
}

/** openapi-mcp-generator reads `x-mcp` loosely: booleans and their common spellings. */
function loose(
  holder: Record<string, unknown>,
  pointer: string,
  invalid: (pointer: string, expected: string) => void,
): boolean | undefined {
  const value = holder['x-mcp'];
  if (value === undefined || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(word)) return true;
    if (['false', '0', 'no', 'off'].includes(word)) return false;
  }
  invalid(`${pointer}/x-mcp`, 'true or false');
  return undefined;
}

function invert(value: boolean | undefined): boolean | undefined {
  return value === undefined ? undefined : !value;
}

function rolesAt(
  holder: Record<string, unknown>,
  pointer: string,
  invalid: (pointer: string, expected: string) => void,
): string[] {
  const value = holder['x-mcp-roles'];
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (Array.isArray(list) && list.every((r) => typeof r === 'string' && r.trim() !== ''))
    return list.map((r: string) => r.trim());
  invalid(`${pointer}/x-mcp-roles`, 'a list of role names');
  return [];
}
