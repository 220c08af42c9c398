import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SPECS, cli } from './cli-process.js';

interface Row {
  readonly tool: string;
  readonly method: string;
  readonly path: string;
  readonly security: string;
}

/** The table is columns separated by two or more spaces; no cell holds two spaces in a row. */
function parseTable(stdout: string): { header: string[]; rows: Row[] } {
  const [head = '', ...lines] = stdout.trimEnd().split('\n');
  const cells = (line: string) => line.trim().split(/ {2,}/);
  return {
    header: cells(head),
    rows: lines.map((line) => {
      const [tool = '', method = '', path = '', security = ''] = cells(line);
      return { tool, method, path, security };
    }),
  };
}

const PETSTORE_EXPANDED: readonly Row[] = [
  { tool: 'addPet', method: 'POST', path: '/pets', security: 'public' },
  { tool: 'deletePet', method: 'DELETE', path: '/pets/{id}', security: 'public' },
  { tool: 'findPets', method: 'GET', path: '/pets', security: 'public' },
  // operationId "find pet by id" is not a valid tool name (TOOL_NAME_ADJUSTED).
  { tool: 'find_pet_by_id', method: 'GET', path: '/pets/{id}', security: 'public' },
];

/** fixtures/cli/security.yaml: `|` separates alternatives (OR), `+` joins the schemes of one requirement (AND). */
const SECURITY_SHAPES: readonly Row[] = [
  { tool: 'createThing', method: 'POST', path: '/things', security: 'c(y z)' },
  { tool: 'health', method: 'GET', path: '/health', security: 'public' },
  { tool: 'listThings', method: 'GET', path: '/things', security: 'a(x) | b + c(y)' },
];

const tables: readonly [string, { spec: string; want: readonly Row[] }][] = [
  ['oai-petstore-expanded.yaml (no security)', { spec: join(SPECS, 'oai-petstore-expanded.yaml'), want: PETSTORE_EXPANDED }],
  ['security.yaml (OR of ANDs, security: [], the document default)', { spec: 'fixtures/cli/security.yaml', want: SECURITY_SHAPES }],
];

describe('inspect', () => {
  test.concurrent.each(tables)('%s: a TOOL METHOD PATH SECURITY table, one row per operation', async (_name, { spec, want }) => {
    const result = await cli(['inspect', spec]);
    expect(result.status, result.stderr).toBe(0);
    const table = parseTable(result.stdout);
    expect(table.header).toEqual(['TOOL', 'METHOD', 'PATH', 'SECURITY']);
    expect(table.rows).toEqual(want);
  });

  test.concurrent.each(tables)('%s --json: the same rows under `tools`, diagnostics as an array', async (_name, { spec, want }) => {
    const result = await cli(['inspect', '--json', spec]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as { tools: Row[]; diagnostics: unknown[] };
    expect(json.tools).toEqual(want);
    expect(Array.isArray(json.diagnostics)).toBe(true);
    for (const d of json.diagnostics) expect(d).toMatchObject({ code: expect.any(String), severity: expect.any(String), message: expect.any(String) });
  });

  test.concurrent('petstore --json reports the adjusted tool name with its pointer', async () => {
    const json = JSON.parse((await cli(['inspect', '--json', join(SPECS, 'oai-petstore-expanded.yaml')])).stdout) as { diagnostics: unknown[] };
    expect(json.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'TOOL_NAME_ADJUSTED', severity: 'info', pointer: '/paths/~1pets~1{id}/get' }),
    );
  });

  test.concurrent('google-drive.json: two oauth2 schemes AND-ed in each of seven alternatives', async () => {
    const result = await cli(['inspect', '--json', join(SPECS, 'google-drive.json')]);
    expect(result.status, result.stderr).toBe(0);
    const { tools } = JSON.parse(result.stdout) as { tools: Row[] };
    const about = tools.find((t) => t.tool === 'drive.about.get');
    const scope = (s: string) => `https://www.googleapis.com/auth/${s}`;
    const both = (s: string) => `Oauth2(${scope(s)}) + Oauth2c(${scope(s)})`;
    expect(about).toEqual({
      tool: 'drive.about.get',
      method: 'GET',
      path: '/about',
      security: ['drive', 'drive.appdata', 'drive.file', 'drive.metadata', 'drive.metadata.readonly', 'drive.photos.readonly', 'drive.readonly']
        .map(both)
        .join(' | '),
    });
    expect(tools.find((t) => t.tool === 'drive.apps.list')?.security).toBe(both('drive.apps.readonly'));
  });

  test.concurrent('diagnostics go to stderr, so stdout is only the table', async () => {
    const result = await cli(['inspect', '--verbose', join(SPECS, 'oai-petstore-expanded.yaml')]);
    expect(result.stderr).toMatch(/^info TOOL_NAME_ADJUSTED /m);
    expect(result.stdout).not.toMatch(/TOOL_NAME_ADJUSTED/);
    expect(parseTable(result.stdout).rows).toHaveLength(4);
  });
});
