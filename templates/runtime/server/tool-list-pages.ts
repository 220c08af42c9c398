import type { PreparedTool } from './tool-registry.js';

/**
 * How one tool is listed in `tools/list`: the exact JSON object a client
 * receives. The one seam between the listing and what a tool carries
 * (`listed-tool.ts` plugs in here); `tools/call` projects structured results
 * through the `outputSchema` this object advertises, so both agree.
 */
export type DescribeTool = (tool: PreparedTool) => Readonly<Record<string, unknown>>;

export interface ToolListOptions {
  readonly describe: DescribeTool;
  /** At most this many tools per page (MCP_TOOLS_PAGE_SIZE). */
  readonly pageSize: number;
  /** At most this many bytes of tool JSON per page; a page always holds at least one tool. */
  readonly maxPageBytes: number;
  /** Distinct visibility classes whose pages are kept (least recently used evicted). */
  readonly maxClasses: number;
}

/** One `tools/list` result page, built once per visibility class and reused for every caller of that class. */
export interface ToolListPage {
  readonly tools: readonly Readonly<Record<string, unknown>>[];
  readonly nextCursor?: string;
}

/**
 * The pages of one visibility class: the tools a caller sees depend only on
 * its scopes and roles. Pages are cut on demand, in order: a client reading
 * the first page pays for describing one page of tools, not the whole API.
 */
interface ClassPages {
  readonly tools: readonly PreparedTool[];
  /** Page by the offset of its first tool in `tools`: the only offsets a cursor may name. */
  readonly byOffset: Map<number, ToolListPage>;
  /** Offset where the next page not yet cut starts; `tools.length` when all are cut. */
  frontier: number;
}

/** Default page budget: every page stays well under the 1 MiB some clients cap one SSE event at. */
export const DEFAULT_TOOLS_PAGE_SIZE = 100;
export const MAX_PAGE_BYTES = 256 * 1024;

/** A cursor that names no page of the caller's list (MCP 2025-11-25 "Pagination": answer -32602). */
export class InvalidCursorError extends Error {
  constructor() {
    super('Invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

export interface ToolLister {
  /** The tool as listed (built once per tool, on first use). */
  listed(tool: PreparedTool): Readonly<Record<string, unknown>>;
  /**
   * One page of the tools of visibility class `classKey` (`visible` says
   * which tools it holds; asked only when the class is not cached).
   * @throws {InvalidCursorError} for a cursor that is not one this server issued for this list.
   */
  page(classKey: string, visible: (tool: PreparedTool) => boolean, cursor: string | undefined): ToolListPage;
}

/**
 * Cursor pagination of `tools/list` (MCP 2025-11-25 "Pagination") with the
 * pages built once per visibility class: a request for a cached class does
 * no work per tool, so its cost does not grow with the size of the API.
 * Cursors are opaque to clients; they encode the offset of a page start and
 * are deterministic, so replicas of one server accept each other's cursors.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/pagination
 */
export function createToolLister(tools: readonly PreparedTool[], options: ToolListOptions): ToolLister {
  const described = new Map<
    PreparedTool,
    { readonly json: Readonly<Record<string, unknown>>; readonly bytes: number }
  >();
  const classes = new Map<string, ClassPages>();

  const entry = (tool: PreparedTool) => {
    let found = described.get(tool);
    if (!found) {
      const json = options.describe(tool);
      found = { json, bytes: Buffer.byteLength(JSON.stringify(json)) };
      described.set(tool, found);
    }
    return found;
  };

  /** Cuts the page starting at `pages.frontier`: at most `pageSize` tools and `maxPageBytes`, never empty. */
  const cutNext = (pages: ClassPages): void => {
    const start = pages.frontier;
    const json: Readonly<Record<string, unknown>>[] = [];
    let bytes = 0;
    let end = start;
    while (end < pages.tools.length && json.length < options.pageSize) {
      const next = entry(pages.tools[end] as PreparedTool);
      if (json.length > 0 && bytes + next.bytes > options.maxPageBytes) break;
      json.push(next.json);
      bytes += next.bytes;
      end++;
    }
    pages.byOffset.set(
      start,
      end < pages.tools.length ? { tools: json, nextCursor: encodeCursor(end) } : { tools: json },
    );
    pages.frontier = end;
  };

  const pageAt = (pages: ClassPages, offset: number): ToolListPage | undefined => {
    while (pages.frontier <= offset && pages.frontier < pages.tools.length) cutNext(pages);
    return pages.byOffset.get(offset);
  };

  return {
    listed: (tool) => entry(tool).json,
    page(classKey, visible, cursor) {
      let pages = classes.get(classKey);
      if (pages) {
        classes.delete(classKey);
      } else {
        const visibleTools = tools.filter(visible);
        // A caller who may see nothing gets one empty page.
        pages = {
          tools: visibleTools,
          byOffset: new Map(visibleTools.length === 0 ? [[0, { tools: [] }]] : []),
          frontier: 0,
        };
        if (classes.size >= options.maxClasses) classes.delete(classes.keys().next().value as string);
      }
      classes.set(classKey, pages);
      const offset = cursor === undefined ? 0 : decodeCursor(cursor);
      const page =
        offset < 0 || (cursor !== undefined && cursor !== encodeCursor(offset)) ? undefined : pageAt(pages, offset);
      if (!page) throw new InvalidCursorError();
      return page;
    },
  };
}

const CURSOR_PREFIX = 'tools:';

function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
}

/** The offset a cursor names, or -1 (no page starts there) for anything this server did not issue. */
function decodeCursor(cursor: string): number {
  if (cursor.length > 64) return -1;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return -1;
  const digits = text.slice(CURSOR_PREFIX.length);
  return /^(0|[1-9][0-9]{0,8})$/.test(digits) ? Number(digits) : -1;
}
