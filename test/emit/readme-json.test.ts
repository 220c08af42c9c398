import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';
import { formatOutsideJsonBlocks, printJsonBlock } from '../../src/emit/readme-json.js';

const OPTIONS = { singleQuote: true, printWidth: 120, trailingComma: 'all', endOfLine: 'lf' } as const;
const format = (markdown: string) => prettier.format(markdown, { ...OPTIONS, parser: 'markdown' });
const json = (value: unknown) => JSON.stringify(value, null, 2);

const stdio = (name: string, path: string, env: Record<string, string>) => ({
  mcpServers: { [name]: { command: 'node', args: [path], env } },
});

/** Client snippets as the README shows them, and values near prettier's line width. */
const BLOCKS: [string, unknown][] = [
  ['a stdio snippet', stdio('pets', '/absolute/path/to/this/project/dist/index.js', { MCP_TRANSPORT: 'stdio' })],
  ['a remote snippet', { servers: { pets: { type: 'http', url: 'https://mcp.example.com/mcp' } } }],
  ['an array that just fits', stdio('p', '/'.repeat(99), {})],
  ['an array one column too long', stdio('p', '/'.repeat(100), {})],
  ['a last array one column longer (no comma after it)', { mcpServers: { p: { args: ['x'.repeat(101)] } } }],
  ['a last array one more', { mcpServers: { p: { args: ['x'.repeat(102)] } } }],
  ['several elements, atoms, empty values', { a: ['x', 1, true, null], b: [], c: {}, d: 'é 日本語 "q"', e: -1.5 }],
  ['long keys never break after the colon', { ['k'.repeat(130)]: 'v'.repeat(40), ['j'.repeat(115)]: ['a', 'b'] }],
  ['a long string value', { env: { TOKEN: `<${'word '.repeat(40)}>` } }],
];

describe('README ```json blocks are printed as prettier prints them', () => {
  test.each(BLOCKS)('%s', async (_name, value) => {
    const text = ['# API', '', 'Before:', '', '```json', json(value), '```', '', '- after', ''].join('\n');
    expect(printJsonBlock(json(value))).toBeDefined();
    expect(await formatOutsideJsonBlocks(text, format)).toBe(await format(text));
  });

  test('prettier never sees a block this printer handles', async () => {
    const text = ['```json', json(BLOCKS[0]![1]), '```', '', '```json', json(BLOCKS[1]![1]), '```', ''].join('\n');
    const seen: string[] = [];
    const out = await formatOutsideJsonBlocks(text, (markdown) => {
      seen.push(markdown);
      return format(markdown);
    });
    expect(out).toBe(await format(text));
    expect(seen.join('')).not.toContain('```json');
  });

  test('blocks it does not know are left to prettier: other layouts, nested records, fences inside other fences', async () => {
    expect(printJsonBlock('{"a": 1}')).toBeUndefined();
    expect(printJsonBlock(json({ a: [{ b: 1 }] }))).toBeUndefined();
    expect(printJsonBlock('not json')).toBeUndefined();
    const text = [
      '```json',
      '{"a":   [1,2]}',
      '```',
      '',
      '````md',
      '```json',
      json({ a: 1 }),
      '```',
      '````',
      '',
      '```json',
      json({ b: ['x'] }),
      '```',
      '',
    ].join('\n');
    expect(await formatOutsideJsonBlocks(text, format)).toBe(await format(text));
  });
});
