import type { OperationSelector } from '../config/types.js';

/** What a selector can look at: an operation and the name its tool has (or would have). */
export interface SelectorTarget {
  /** Upper case. */
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly tags: readonly string[];
  readonly name: string;
}

/**
 * Which entries of a selector match the target, as `kind/index` (`tags/0`):
 * an operation matches the selector when any entry does (OR within and
 * across kinds). Knowing the entries lets the caller report those that match
 * no operation at all, which is how typos surface.
 */
export function selectorHits(selector: OperationSelector, target: SelectorTarget): string[] {
  const hits: string[] = [];
  const check = (kind: keyof OperationSelector, test: (entry: string) => boolean) =>
    (selector[kind] ?? []).forEach((entry, i) => {
      if (test(entry)) hits.push(`${kind}/${i}`);
    });
  check('tags', (tag) => target.tags.includes(tag));
  check('operationIds', (id) => id === target.operationId);
  check('paths', (glob) => pathGlob(glob).test(target.path));
  check('methods', (method) => method.toUpperCase() === target.method);
  check('tools', (glob) => nameGlob(glob).test(target.name));
  return hits;
}

/** Every entry of a selector as `kind/index`, to compare with the hits. */
export function selectorEntries(selector: OperationSelector): string[] {
  return (['tags', 'operationIds', 'paths', 'methods', 'tools'] as const).flatMap((kind) =>
    (selector[kind] ?? []).map((_, i) => `${kind}/${i}`),
  );
}

const cache = new Map<string, RegExp>();

/**
 * A glob on an OpenAPI path template, segment by segment: `**` is any number
 * of segments (none included: `/admin/**` matches `/admin`), `*` alone is one
 * segment, and `*` inside a segment is any run of characters but `/`
 * (`/pets*` matches `/pets` and `/petstore`). Everything else is literal,
 * `{petId}` included.
 *
 * Kept rather than `picomatch`: a bash glob reads `?`, `[...]`, `{a,b}` and
 * `+(...)` as patterns, while here they are literal characters of a path
 * template; picomatch's options turn off braces, brackets and extglobs but
 * not `?`, so the documented config syntax would change under users.
 */
export function pathGlob(glob: string): RegExp {
  const key = `p${glob}`;
  let regex = cache.get(key);
  if (!regex) {
    const segments = glob.split('/').slice(1);
    const source = segments
      .map((s) => (s === '**' ? '(?:/[^/]+)*' : `/${s.split('*').map(escape).join('[^/]*')}`))
      .join('');
    // `/**` and `/admin/**` match `/` and `/admin/` too.
    regex = new RegExp(`^${source || '/'}${segments.at(-1) === '**' ? '/?' : ''}$`);
    cache.set(key, regex);
  }
  return regex;
}

/** A glob on a tool name: `*` is any run of characters. */
function nameGlob(glob: string): RegExp {
  const key = `n${glob}`;
  let regex = cache.get(key);
  if (!regex) {
    regex = new RegExp(`^${glob.split('*').map(escape).join('.*')}$`);
    cache.set(key, regex);
  }
  return regex;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
