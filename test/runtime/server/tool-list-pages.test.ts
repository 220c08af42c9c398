import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../../templates/runtime/mcp/types.js';
import { createToolLister, InvalidCursorError } from '../../../templates/runtime/server/tool-list-pages.js';
import type { DescribeTool, ToolListOptions } from '../../../templates/runtime/server/tool-list-pages.js';
import type { PreparedTool } from '../../../templates/runtime/server/tool-registry.js';

/** Tools whose listed JSON is `size` bytes of description each (the rest is a few bytes of name). */
function tools(sizes: readonly number[]): PreparedTool[] {
  return sizes.map(
    (size, i) => ({ definition: { name: `t${i}`, description: 'x'.repeat(size) } as ToolDefinition }) as PreparedTool,
  );
}

const describeTool: DescribeTool = (tool) => ({ name: tool.definition.name, description: tool.definition.description });
const options = (over: Partial<ToolListOptions> = {}): ToolListOptions => ({
  describe: describeTool,
  pageSize: 3,
  maxPageBytes: 10_000,
  maxClasses: 2,
  ...over,
});
const all = () => true;

/** Every page of a class, following the cursor. */
function pages(
  lister: ReturnType<typeof createToolLister>,
  key = '*',
  visible: (t: PreparedTool) => boolean = all,
): string[][] {
  const out: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = lister.page(key, visible, cursor);
    out.push(page.tools.map((t) => t.name as string));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

describe('createToolLister', () => {
  it('cuts pages at the page size', () => {
    expect(pages(createToolLister(tools([1, 1, 1, 1, 1, 1, 1]), options()))).toEqual([
      ['t0', 't1', 't2'],
      ['t3', 't4', 't5'],
      ['t6'],
    ]);
  });

  it('cuts pages before they pass the byte budget, and never leaves a page empty', () => {
    // Each listed tool is its description plus ~30 bytes of JSON; a 2,000-byte tool fills a 2,100-byte page alone.
    const lister = createToolLister(tools([1000, 1000, 2000, 10, 5000]), options({ pageSize: 10, maxPageBytes: 2100 }));
    expect(pages(lister)).toEqual([['t0', 't1'], ['t2', 't3'], ['t4']]);
  });

  it('lists an empty class as one empty page', () => {
    expect(createToolLister(tools([1, 1]), options()).page('none', () => false, undefined)).toEqual({ tools: [] });
  });

  it('describes each tool once, however many callers and classes list it', () => {
    const described: string[] = [];
    const lister = createToolLister(
      tools([1, 1, 1, 1]),
      options({ describe: (t) => (described.push(t.definition.name), describeTool(t)) }),
    );
    for (let i = 0; i < 5; i++) pages(lister);
    pages(lister, 'odd', (t) => t.definition.name === 't1' || t.definition.name === 't3');
    expect(described).toEqual(['t0', 't1', 't2', 't3']);
  });

  it('cuts pages on demand: the first page describes only its own tools', () => {
    const described: string[] = [];
    const lister = createToolLister(
      tools([1, 1, 1, 1, 1, 1, 1]),
      options({ describe: (t) => (described.push(t.definition.name), describeTool(t)) }),
    );
    lister.page('*', all, undefined);
    expect(described).toEqual(['t0', 't1', 't2']);
    // A cursor to a later page first cuts the pages before it, so only real page starts are accepted.
    expect(() => lister.page('*', all, Buffer.from('tools:4').toString('base64url'))).toThrow(InvalidCursorError);
    expect(lister.page('*', all, Buffer.from('tools:6').toString('base64url')).tools.map((t) => t.name)).toEqual([
      't6',
    ]);
  });

  it('builds a class once and keeps at most maxClasses, least recently used evicted', () => {
    let asked = 0;
    const lister = createToolLister(tools([1, 1]), options({ maxClasses: 2 }));
    const visible = () => (asked++, true);
    lister.page('a', visible, undefined);
    lister.page('a', visible, undefined);
    expect(asked).toBe(2); // one build of two tools
    lister.page('b', visible, undefined);
    lister.page('a', visible, undefined); // a is now the most recent
    lister.page('c', visible, undefined); // evicts b
    asked = 0;
    lister.page('a', visible, undefined);
    expect(asked).toBe(0);
    lister.page('b', visible, undefined);
    expect(asked).toBe(2);
  });

  it('accepts only the cursors it issued for that list', () => {
    const lister = createToolLister(tools([1, 1, 1, 1, 1]), options());
    const next = lister.page('*', all, undefined).nextCursor as string;
    expect(lister.page('*', all, next).tools.map((t) => t.name)).toEqual(['t3', 't4']);
    const forged = [
      Buffer.from('tools:1').toString('base64url'),
      Buffer.from('tools:03').toString('base64url'),
      Buffer.from('tools:5').toString('base64url'),
      `${next}=`,
      'x'.repeat(100),
      '',
      'tools:3',
    ];
    for (const cursor of forged) expect(() => lister.page('*', all, cursor), cursor).toThrow(InvalidCursorError);
  });
});
