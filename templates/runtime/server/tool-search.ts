import type { ToolDefinition } from '../mcp/types.js';

/** One match of `search_tools`: enough to choose a tool, not enough to call it (that is `describe_tool`). */
export interface SearchHit {
  readonly name: string;
  readonly summary: string;
  readonly method: string;
  readonly path: string;
}

/** Words a tool can be found by, per field, with the field's weight. Built once per process. */
export interface SearchIndex {
  readonly entries: readonly IndexEntry[];
  /** Number of tools each word occurs in: rare words rank higher. */
  readonly documentFrequency: ReadonlyMap<string, number>;
}

interface IndexEntry {
  readonly tool: ToolDefinition;
  readonly summary: string;
  /** word -> the highest field weight it appears in. */
  readonly words: ReadonlyMap<string, number>;
  /** Lower-cased title, description and `METHOD path`, for phrase matches. */
  readonly phrases: readonly (readonly [text: string, weight: number])[];
  readonly tags: readonly string[];
}

/** A name or title match says more about what a tool does than a word deep in its description. */
const WEIGHT = { name: 5, title: 4, path: 3, tag: 3, description: 1 } as const;

export const MAX_SEARCH_LIMIT = 50;

export function buildSearchIndex(tools: readonly ToolDefinition[]): SearchIndex {
  const documentFrequency = new Map<string, number>();
  const entries = tools.map((tool): IndexEntry => {
    const words = new Map<string, number>();
    const add = (text: string, weight: number) => {
      for (const word of wordsOf(text)) words.set(word, Math.max(words.get(word) ?? 0, weight));
    };
    add(tool.name, WEIGHT.name);
    add(tool.title ?? '', WEIGHT.title);
    add(`${tool.http.method} ${tool.http.path}`, WEIGHT.path);
    for (const tag of tool.tags) add(tag, WEIGHT.tag);
    add(tool.description, WEIGHT.description);
    for (const word of words.keys()) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    return {
      tool,
      summary: summaryOf(tool),
      words,
      phrases: [
        [(tool.title ?? '').toLowerCase(), WEIGHT.title],
        [`${tool.http.method} ${tool.http.path}`.toLowerCase(), WEIGHT.path],
        [tool.description.toLowerCase(), WEIGHT.description],
      ],
      tags: tool.tags.map((t) => t.toLowerCase()),
    };
  });
  return { entries, documentFrequency };
}

/**
 * Ranked matches of `query` among the tools `visible` admits: every query
 * word scores by the best field it occurs in, weighted by how rare it is
 * (an IDF, so "repository" in GitHub's API counts for little), plus a bonus
 * when the whole query appears verbatim (a title, or a path such as
 * `/repos/{owner}/{repo}/issues`). Ties are broken by name: deterministic.
 */
export function searchTools(
  index: SearchIndex,
  query: string,
  options: { readonly tag?: string; readonly limit: number; readonly visible: (tool: ToolDefinition) => boolean },
): { readonly hits: SearchHit[]; readonly total: number } {
  const terms = [...new Set(wordsOf(query))];
  const phrase = query.trim().toLowerCase();
  const tag = options.tag?.trim().toLowerCase();
  const n = index.entries.length;
  const scored: { entry: IndexEntry; score: number }[] = [];
  for (const entry of index.entries) {
    if (tag && !entry.tags.includes(tag)) continue;
    if (!options.visible(entry.tool)) continue;
    let score = 0;
    let matched = 0;
    for (const term of terms) {
      const weight = entry.words.get(term);
      if (weight === undefined) continue;
      matched++;
      score += weight * Math.log(1 + n / (index.documentFrequency.get(term) ?? 1));
    }
    if (phrase.length >= 3) {
      for (const [text, weight] of entry.phrases) if (text.includes(phrase)) score += weight * 4;
    }
    // An empty query with a tag lists the tag; otherwise a tool must match something.
    if (terms.length === 0 ? !tag : score === 0) continue;
    // Tools matching every word come before tools matching some.
    scored.push({ entry, score: score * (terms.length === 0 ? 1 : 0.5 + (0.5 * matched) / terms.length) });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score || (a.entry.tool.name < b.entry.tool.name ? -1 : a.entry.tool.name > b.entry.tool.name ? 1 : 0),
  );
  const limit = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(options.limit)));
  return {
    hits: scored.slice(0, limit).map(({ entry }) => ({
      name: entry.tool.name,
      summary: entry.summary,
      method: entry.tool.http.method,
      path: entry.tool.http.path,
    })),
    total: scored.length,
  };
}

/**
 * Lower-case words, with identifiers split (`listForRepo`, `list-for-repo`,
 * `/repos/{owner}`) and a plain English plural folded (`issues` -> `issue`),
 * so "list repository issues" finds `issues/list-for-repo`.
 */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map(stem);
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'to',
  'in',
  'on',
  'by',
  'with',
  'or',
  'is',
  'are',
  'be',
  'this',
  'that',
  'it',
  'as',
  'at',
  'from',
]);

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** One line: the title, else the description's first sentence, at most 160 characters. */
function summaryOf(tool: ToolDefinition): string {
  const source = tool.title?.trim() || (tool.description.split(/\n|(?<=\.)\s/)[0] ?? '').trim();
  const line = source.replace(/\s+/g, ' ');
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
