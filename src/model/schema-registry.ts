import type { JsonSchema } from '../../templates/runtime/mcp/types.js';
import { convertSchema, isObject } from './json-schema.js';
import { decodePointer, getAtPointer } from './refs.js';

/**
 * The shared `$defs` table: every schema some tool reaches through a `$ref`,
 * converted once, stored under a stable name. Tools keep `$ref`s (so circular
 * schemas stay finite) and list the names they need; the runtime assembles
 * each tool's self-contained schema from this table.
 */
export class SchemaRegistry {
  private readonly names: Map<string, string>;
  private readonly refsByName = new Map<string, string>();
  private readonly converted = new Map<string, { schema: JsonSchema | boolean; refs: Set<string> }>();

  /** `refs`: what `collectRefs` finds in `document`, when the loader already knows it (`LoadedDocument.localRefs`). */
  constructor(
    private readonly document: unknown,
    private readonly dialect: '3.0' | '3.1',
    refs: readonly string[] = collectRefs(document),
  ) {
    this.names = assignNames(refs);
    for (const [ref, name] of this.names) this.refsByName.set(name, ref);
  }

  /** Converts a schema found in an operation; returns it with the refs it uses directly. */
  convert(schema: unknown, recursiveRoot?: string): { schema: JsonSchema | boolean; refs: Set<string> } {
    const refs = new Set<string>();
    const converted = convertSchema(schema, {
      dialect: this.dialect,
      ...(recursiveRoot !== undefined ? { recursiveRoot } : {}),
      refName: (ref) => {
        const name = this.nameOf(ref);
        refs.add(name);
        return name;
      },
    });
    return { schema: converted, refs };
  }

  /** Names of all defs reachable from `direct`, sorted. */
  closure(direct: Iterable<string>): string[] {
    const seen = new Set<string>();
    const queue = [...direct];
    while (queue.length > 0) {
      const name = queue.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      for (const next of this.def(name).refs) if (!seen.has(next)) queue.push(next);
    }
    return [...seen].sort();
  }

  /** The converted schema stored under `name`. */
  def(name: string): { schema: JsonSchema | boolean; refs: Set<string> } {
    let entry = this.converted.get(name);
    if (!entry) {
      const ref = this.refOf(name);
      const target = ref === undefined ? undefined : getAtPointer(this.document, ref);
      entry = this.convert(target === undefined ? {} : target, ref);
      this.converted.set(name, entry);
    }
    return entry;
  }

  private nameOf(ref: string): string {
    const name = this.names.get(ref);
    if (name !== undefined) return name;
    // A ref built after the walk (should not happen); give it a name now.
    const fresh = uniqueName(baseName(ref), new Set(this.names.values()));
    this.names.set(ref, fresh);
    this.refsByName.set(fresh, ref);
    return fresh;
  }

  private refOf(name: string): string | undefined {
    return this.refsByName.get(name);
  }
}

/**
 * Every `$ref` string in the document, sorted, so names never depend on the order operations are
 * visited. (ref-positions.ts `RefStrings` finds the same in the loader's walk.)
 */
export function collectRefs(document: unknown): string[] {
  const refs = new Set<string>();
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    // A walk of the whole document (GitHub's: ~1M nodes): no array of entries per object.
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) stack.push(node[i]);
    } else if (isObject(node)) {
      for (const key of Object.keys(node)) {
        const value = node[key];
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) refs.add(value);
        else if (key === 'mapping' && isObject(value)) {
          for (const target of Object.values(value))
            if (typeof target === 'string' && target.startsWith('#')) refs.add(target);
        } else if (value !== null && typeof value === 'object') stack.push(value);
      }
    }
  }
  return [...refs].sort();
}

function assignNames(refs: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  // Component schemas first: they get their own names whenever possible.
  const ordered = [...refs.filter(isComponentSchema), ...refs.filter((r) => !isComponentSchema(r))];
  for (const ref of ordered) {
    const name = uniqueName(baseName(ref), used);
    used.add(name);
    names.set(ref, name);
  }
  return names;
}

function isComponentSchema(ref: string): boolean {
  const tokens = decodePointer(ref);
  return tokens.length === 3 && tokens[0] === 'components' && tokens[1] === 'schemas';
}

function baseName(ref: string): string {
  const tokens = decodePointer(ref);
  const raw = isComponentSchema(ref) ? (tokens[2] as string) : tokens.join('_');
  return raw.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'schema';
}

function uniqueName(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}
