import type { ToolAnnotations } from '../../templates/runtime/mcp/types.js';
import type { GeneratorConfig, OperationSelector, ToolOverride } from '../config/types.js';
import { didYouMean } from '../config/did-you-mean.js';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import { documentHints, extensionHints, pathItemHints } from './extensions.js';
import type { ExtensionHints, PathItemHints } from './extensions.js';
import type { HTTP_METHODS } from './operation.js';
import { selectorEntries, selectorHits } from './operation-selector.js';
import type { SelectorTarget } from './operation-selector.js';
import type { Reported } from './reported.js';
import { reported } from './reported.js';
import { nameTools, TOOL_NAME_PATTERN } from './tool-name.js';

/** One operation of the document, before it is (or is not) a tool. */
export interface OperationEntry {
  readonly path: string;
  readonly method: (typeof HTTP_METHODS)[number];
  /** `GET /pets/{petId}`: the operation's stable identity. */
  readonly key: string;
  readonly operationId?: string;
  readonly tags: readonly string[];
  readonly pointer: string;
  readonly pathItem: Record<string, unknown>;
  readonly pathPointer: string;
  readonly operation: Record<string, unknown>;
}

/** An operation that becomes a tool, with everything configuration and extensions decided for it. */
export interface SelectedOperation {
  readonly entry: OperationEntry;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly annotations: Partial<Omit<ToolAnnotations, 'title'>>;
  /** Sorted union of the roles that grant this tool; empty: scopes only. */
  readonly roles: readonly string[];
  /** `tools.<key>.scopes`: replaces the scopes from OpenAPI security. */
  readonly scopes?: readonly (readonly string[])[];
}

/** What selectOperations works from. */
export interface SelectionInput {
  /** Every operation of the document, in document order. */
  readonly entries: readonly OperationEntry[];
  readonly document: Record<string, unknown>;
  readonly config: GeneratorConfig;
  /** The configuration file, as diagnostics about it name it. */
  readonly configFile?: string | undefined;
}

interface Resolved {
  readonly entry: OperationEntry;
  readonly hints: ExtensionHints;
  readonly override?: { readonly key: string; readonly value: ToolOverride };
  readonly name: string;
  readonly adjusted?: string;
  readonly target: SelectorTarget;
}

/**
 * Applies the configuration and the spec's extensions to the document's
 * operations: which become tools, under which names, with which title,
 * description, roles and scopes. Precedence: `tools.<key>` in the config,
 * then our `x-mcp-*` extensions, then `x-speakeasy-mcp`, then `x-mcp`, then
 * the operation itself.
 *
 * Names are assigned over every operation, excluded or not, so excluding an
 * operation never renames another. Selector entries and overrides that match
 * no operation are reported (CONFIG_UNMATCHED): a typo must not pass silently.
 */
export function selectOperations(input: SelectionInput): Reported<SelectedOperation[]> {
  const { entries, document, config } = input;
  const configFile = input.configFile ?? '<config>';
  const diagnostics: Diagnostic[] = [];
  // The root and each path item are read once; the first operation that shares one carries its diagnostics.
  const root = documentHints(document);
  const pathItems = new Map<string, PathItemHints>();
  const hints = entries.map((entry, i) => {
    const seen = pathItems.get(entry.pathPointer);
    const pathItem = seen ?? pathItemHints(entry.pathItem, entry.pathPointer);
    pathItems.set(entry.pathPointer, pathItem);
    const read = extensionHints({
      operation: entry.operation,
      operationPointer: entry.pointer,
      pathItem,
      document: root,
      firstOf: { pathItem: seen === undefined, document: i === 0 },
    });
    diagnostics.push(...read.diagnostics);
    return read.value;
  });
  const overrides = matchOverrides(entries, config.tools ?? {}, configFile);
  diagnostics.push(...overrides.diagnostics);
  const names = nameTools(
    entries.map((entry, i) => {
      const preferred = overrides.value[i]?.value.name ?? hints[i]?.name;
      return {
        key: entry.key,
        ...(entry.operationId !== undefined ? { operationId: entry.operationId } : {}),
        ...(preferred !== undefined ? { preferred } : {}),
      };
    }),
  );
  const resolved: Resolved[] = entries.map((entry, i) => {
    const named = names[i] as (typeof names)[number];
    const override = overrides.value[i];
    return {
      entry,
      hints: hints[i] as ExtensionHints,
      ...(override ? { override } : {}),
      name: named.name,
      ...(named.adjusted ? { adjusted: named.adjusted } : {}),
      target: {
        method: entry.method.toUpperCase(),
        path: entry.path,
        ...(entry.operationId !== undefined ? { operationId: entry.operationId } : {}),
        tags: entry.tags,
        name: named.name,
      },
    };
  });

  const unmatched = new UnmatchedEntries(resolved, configFile);
  const include = config.include ? unmatched.track(config.include, '/include') : undefined;
  const exclude = config.exclude ? unmatched.track(config.exclude, '/exclude') : undefined;
  const roleRules = Object.entries(config.roles ?? {}).map(([role, selector]) => ({
    role,
    matches: unmatched.track(selector, pointer('roles', role)),
  }));
  diagnostics.push(...unmatched.report());

  const selected = resolved.filter((r) => {
    const reason = exclusionReason(r, include, exclude);
    if (reason) {
      diagnostics.push({
        code: 'TOOL_EXCLUDED',
        severity: 'info',
        message: `${r.entry.key} is not a tool: ${reason}.`,
        pointer: r.entry.pointer,
      });
    }
    return !reason;
  });
  diagnostics.push(...reportNames(selected, configFile));

  const value = selected.map((r): SelectedOperation => {
    const override = r.override?.value ?? {};
    const roles = [
      ...new Set([
        ...roleRules.filter((rule) => rule.matches(r)).map((rule) => rule.role),
        ...(override.roles ?? []),
        ...r.hints.roles,
      ]),
    ].sort();
    const title = override.title ?? r.hints.title;
    const description = override.description ?? r.hints.description;
    return {
      entry: r.entry,
      name: r.name,
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      annotations: r.hints.annotations,
      roles,
      ...(override.scopes ? { scopes: override.scopes } : {}),
    };
  });
  return reported(value, diagnostics);
}

function exclusionReason(
  r: Resolved,
  include?: (r: Resolved) => boolean,
  exclude?: (r: Resolved) => boolean,
): string | undefined {
  const forced = r.override?.value.exclude;
  if (forced === true) return `the configuration's tools["${r.override?.key}"].exclude is true`;
  // `exclude: false` on the tool is the one way to bring back what the spec or a selector leaves out.
  if (forced === false) return undefined;
  if (r.hints.excludedBy) return `the spec says so (${r.hints.excludedBy})`;
  if (include && !include(r)) return "the configuration's include does not match it";
  if (exclude?.(r)) return "the configuration's exclude matches it";
  return undefined;
}

/** A selector's entries, which of them matched some operation, and CONFIG_UNMATCHED for the rest. */
class UnmatchedEntries {
  private readonly pending: { at: string; left: Set<string>; selector: OperationSelector }[] = [];
  constructor(
    private readonly all: readonly Resolved[],
    private readonly file: string,
  ) {}

  track(selector: OperationSelector, at: string): (r: Resolved) => boolean {
    const hitsByEntry = new Map(this.all.map((r) => [r, selectorHits(selector, r.target)]));
    const left = new Set(selectorEntries(selector));
    for (const hits of hitsByEntry.values()) for (const hit of hits) left.delete(hit);
    this.pending.push({ at, left, selector });
    return (r) => (hitsByEntry.get(r)?.length ?? 0) > 0;
  }

  /** CONFIG_UNMATCHED for each entry no operation matched, once every selector is tracked. */
  report(): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const known: Record<keyof OperationSelector, string[]> = {
      tags: [...new Set(this.all.flatMap((r) => r.entry.tags))],
      operationIds: this.all.flatMap((r) => (r.entry.operationId !== undefined ? [r.entry.operationId] : [])),
      paths: [...new Set(this.all.map((r) => r.entry.path))],
      methods: [],
      tools: this.all.map((r) => r.name),
    };
    for (const { at, left, selector } of this.pending) {
      for (const id of left) {
        const [kind, index] = id.split('/') as [keyof OperationSelector, string];
        const value = (selector[kind] ?? [])[Number(index)] as string;
        const guess = kind === 'methods' ? undefined : didYouMean(value, known[kind]);
        diagnostics.push({
          code: 'CONFIG_UNMATCHED',
          severity: 'warning',
          message: `${kind} entry "${value}" matches no operation of the spec.`,
          file: this.file,
          pointer: `${at}/${kind}/${index}`,
          hint: guess
            ? `Did you mean "${guess}"?`
            : `Check the spelling against the spec (\`openapi-to-mcp inspect\` lists every tool), or remove the entry.`,
        });
      }
    }
    return diagnostics;
  }
}

const METHOD_KEY = /^([A-Za-z]+) (\/.*)$/;

/** `tools` keys -> the operations they apply to: `METHOD /path` (method in any case) or an operationId. */
function matchOverrides(
  entries: readonly OperationEntry[],
  tools: Readonly<Record<string, ToolOverride>>,
  file: string,
): Reported<({ key: string; value: ToolOverride } | undefined)[]> {
  const diagnostics: Diagnostic[] = [];
  const found: ({ key: string; value: ToolOverride } | undefined)[] = entries.map(() => undefined);
  // operationId keys first, `METHOD /path` keys after: the more precise key wins field by field.
  const keys = Object.keys(tools).sort(
    (a, b) => Number(METHOD_KEY.test(a)) - Number(METHOD_KEY.test(b)) || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const key of keys) {
    const value = tools[key] as ToolOverride;
    const method = METHOD_KEY.exec(key);
    const normalized = method ? `${(method[1] as string).toUpperCase()} ${method[2]}` : undefined;
    let matched = false;
    entries.forEach((entry, i) => {
      if (normalized !== undefined ? entry.key !== normalized : entry.operationId !== key) return;
      matched = true;
      const before = found[i];
      found[i] = before ? { key, value: { ...before.value, ...value } } : { key, value };
    });
    if (!matched) {
      const guess = didYouMean(
        key,
        normalized !== undefined
          ? entries.map((e) => e.key)
          : entries.flatMap((e) => (e.operationId !== undefined ? [e.operationId] : [])),
      );
      diagnostics.push({
        code: 'CONFIG_UNMATCHED',
        severity: 'warning',
        message: `tools["${key}"] matches no operation: keys are an operationId or \`METHOD /path\` as the spec writes them.`,
        file,
        pointer: pointer('tools', key),
        hint: guess
          ? `Did you mean "${guess}"?`
          : '`openapi-to-mcp inspect` lists every operation with its method and path.',
      });
    }
  }
  return reported(found, diagnostics);
}

/**
 * An explicit name (config `name`, `x-mcp-name`, `x-speakeasy-mcp.name`) that another
 * tool wants too is an error: silently suffixing either would rename a tool clients call.
 * Other adjustments are informational.
 */
function reportNames(selected: readonly Resolved[], file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const r of selected) {
    const fromConfig = r.override?.value.name;
    const wanted = fromConfig ?? r.hints.name;
    const explicit = wanted !== undefined && TOOL_NAME_PATTERN.test(wanted);
    const rivals = explicit
      ? selected.filter(
          (o) => o !== r && ((o.override?.value.name ?? o.hints.name) === wanted || o.entry.operationId === wanted),
        )
      : [];
    if (rivals.length > 0) {
      const where =
        fromConfig !== undefined ? `tools["${r.override?.key}"].name` : (r.hints.nameSource ?? 'x-mcp-name');
      diagnostics.push({
        code: 'TOOL_NAME_CONFLICT',
        severity: 'error',
        message: `${r.entry.key} is named "${wanted}" by ${where}, but ${rivals.map((o) => o.entry.key + (o.entry.operationId === wanted ? ` (operationId ${wanted})` : '')).join(', ')} ${rivals.length === 1 ? 'has' : 'have'} that name too.`,
        ...(fromConfig !== undefined
          ? { file, pointer: pointer('tools', r.override?.key ?? '', 'name') }
          : { pointer: r.entry.pointer }),
        hint: 'Tool names must be unique: give one of them another name (`tools.<operationId>.name` in the configuration), or exclude one.',
      });
    } else if (r.adjusted) {
      diagnostics.push({
        code: 'TOOL_NAME_ADJUSTED',
        // A name the user asked for and did not get is worth a warning; a derived one is not.
        severity: wanted === undefined ? 'info' : 'warning',
        message: `${r.entry.key} is the tool "${r.name}": ${r.adjusted}.`,
        pointer: r.entry.pointer,
      });
    }
  }
  return diagnostics;
}
