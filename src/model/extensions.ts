import type { ToolAnnotations } from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { unescapePointerToken } from '../json-pointer.js';
import { isObject } from './json-schema.js';
import type { Reported } from './reported.js';
import { reported } from './reported.js';

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

/** What a path item's extensions say; its operations share it, so it is read (and reported) once. */
export interface PathItemHints {
  /** `x-mcp-exclude`, then `x-mcp` turned into "excluded": undefined where the item says nothing. */
  readonly exclusion: Reported<readonly [boolean | undefined, boolean | undefined]>;
  /** `x-mcp-roles` of the path item. */
  readonly roles: Reported<readonly string[]>;
}

/** `x-mcp` at the document root turned into "excluded", read once per document. */
export type DocumentHints = Reported<boolean | undefined>;

/** The operation and the hints of the sites it shares with others. */
export interface ExtensionSite {
  readonly operation: Record<string, unknown>;
  readonly operationPointer: string;
  readonly pathItem: PathItemHints;
  readonly document: DocumentHints;
  /**
   * This operation is the first that reads its path item (and the document): it carries their
   * diagnostics, placed where reading them in the operation's order puts them; others do not.
   */
  readonly firstOf: { readonly pathItem: boolean; readonly document: boolean };
}

const HINT_KEYS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

type Invalid = (pointer: string, expected: string) => void;

/** An `invalid` callback and the EXTENSION_INVALID diagnostics it collects, for one site. */
function invalidValues(): { invalid: Invalid; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const invalid: Invalid = (pointer, expected) => {
    diagnostics.push({
      code: 'EXTENSION_INVALID',
      severity: 'warning',
      message: `${unescapePointerToken(pointer.split('/').pop() ?? '')} should be ${expected}; it is ignored.`,
      pointer,
    });
  };
  return { invalid, diagnostics };
}

export function pathItemHints(pathItem: Record<string, unknown>, pathPointer: string): PathItemHints {
  const exclusion = invalidValues();
  const excluded = [
    flag(pathItem, 'x-mcp-exclude', pathPointer, exclusion.invalid),
    invert(loose(pathItem, pathPointer, exclusion.invalid)),
  ] as const;
  const roles = invalidValues();
  const list = rolesAt(pathItem, pathPointer, roles.invalid);
  return { exclusion: reported(excluded, exclusion.diagnostics), roles: reported(list, roles.diagnostics) };
}

export function documentHints(document: Record<string, unknown>): DocumentHints {
  const { invalid, diagnostics } = invalidValues();
  return reported(invert(loose(document, '', invalid)), diagnostics);
}

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
export function extensionHints(site: ExtensionSite): Reported<ExtensionHints> {
  const { operation: op, operationPointer: at } = site;
  const head = invalidValues();
  const text = (holder: Record<string, unknown>, key: string, pointer: string): string | undefined => {
    const value = holder[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    head.invalid(`${pointer}/${key}`, 'a non-empty string');
    return undefined;
  };

  let speakeasy: Record<string, unknown> = {};
  const speakeasyAt = `${at}/x-speakeasy-mcp`;
  if (isObject(op['x-speakeasy-mcp'])) speakeasy = op['x-speakeasy-mcp'];
  else if (op['x-speakeasy-mcp'] !== undefined) head.invalid(speakeasyAt, 'an object');

  const ownName = text(op, 'x-mcp-name', at);
  const speakeasyName = text(speakeasy, 'name', speakeasyAt);
  const name = ownName ?? speakeasyName;
  const title = text(op, 'x-mcp-title', at) ?? text(speakeasy, 'title', speakeasyAt);
  const description = text(op, 'x-mcp-description', at) ?? text(speakeasy, 'description', speakeasyAt);

  const [pathExclude, pathMcp] = site.pathItem.exclusion.value;
  const exclusions: [string, boolean | undefined][] = [
    ['x-mcp-exclude on the operation', flag(op, 'x-mcp-exclude', at, head.invalid)],
    ['x-speakeasy-mcp.disabled', flag(speakeasy, 'disabled', speakeasyAt, head.invalid)],
    ['x-mcp: false on the operation', invert(loose(op, at, head.invalid))],
    ['x-mcp-exclude on the path item', pathExclude],
    ['x-mcp: false on the path item', pathMcp],
    ['x-mcp: false at the document root', site.document.value],
  ];
  const decided = exclusions.find(([, excluded]) => excluded !== undefined);
  const excludedBy = decided?.[1] === true ? decided[0] : undefined;

  const tail = invalidValues();
  const roles = [...site.pathItem.roles.value, ...rolesAt(op, at, tail.invalid)];

  const annotations: Partial<Record<(typeof HINT_KEYS)[number], boolean>> = {};
  const nested = isObject(speakeasy.annotations) ? speakeasy.annotations : {};
  for (const key of HINT_KEYS) {
    const value =
      flag(speakeasy, key, speakeasyAt, tail.invalid) ?? flag(nested, key, `${speakeasyAt}/annotations`, tail.invalid);
    if (value !== undefined) annotations[key] = value;
  }

  const { firstOf } = site;
  return reported(
    {
      ...(name !== undefined
        ? { name, nameSource: ownName !== undefined ? 'x-mcp-name' : 'x-speakeasy-mcp.name' }
        : {}),
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(excludedBy ? { excludedBy } : {}),
      roles,
      annotations,
    },
    // The order in which the values are read: operation, path item, root, path-item roles, operation roles, hints.
    [
      ...head.diagnostics,
      ...(firstOf.pathItem ? site.pathItem.exclusion.diagnostics : []),
      ...(firstOf.document ? site.document.diagnostics : []),
      ...(firstOf.pathItem ? site.pathItem.roles.diagnostics : []),
      ...tail.diagnostics,
    ],
  );
}

function flag(holder: Record<string, unknown>, key: string, pointer: string, invalid: Invalid): boolean | undefined {
  const value = holder[key];
  if (value === undefined || typeof value === 'boolean') return value;
  invalid(`${pointer}/${key}`, 'true or false');
  return undefined;
}

/** openapi-mcp-generator reads `x-mcp` loosely: booleans and their common spellings. */
function loose(holder: Record<string, unknown>, pointer: string, invalid: Invalid): boolean | undefined {
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

function rolesAt(holder: Record<string, unknown>, pointer: string, invalid: Invalid): string[] {
  const value = holder['x-mcp-roles'];
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (Array.isArray(list) && list.every((r) => typeof r === 'string' && r.trim() !== ''))
    return list.map((r: string) => r.trim());
  invalid(`${pointer}/x-mcp-roles`, 'a list of role names');
  return [];
}
