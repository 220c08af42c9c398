import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SPECS, cli } from './cli-process.js';

interface Row {
  readonly tool: string;
  readonly method: string;
  readonly path: string;
  readonly security: string;
  readonly scopes: string;
  readonly roles: string;
}

/** The table is columns separated by two or more spaces; no cell holds two spaces in a row. */
function parseTable(stdout: string): { header: string[]; rows: Row[] } {
  const [head = '', ...lines] = stdout.trimEnd().split('\n');
  const cells = (line: string) => line.trim().split(/ {2,}/);
  return {
    header: cells(head),
    rows: lines.map((line) => {
      const [tool = '', method = '', path = '', security = '', scopes = '', roles = ''] = cells(line);
      return { tool, method, path, security, scopes, roles };
    }),
  };
}

const PETSTORE_EXPANDED: readonly Row[] = [
  { tool: 'addPet', method: 'POST', path: '/pets', security: 'public', scopes: '-', roles: '-' },
  { tool: 'deletePet', method: 'DELETE', path: '/pets/{id}', security: 'public', scopes: '-', roles: '-' },
  { tool: 'findPets', method: 'GET', path: '/pets', security: 'public', scopes: '-', roles: '-' },
  // operationId "find pet by id" is not a valid tool name (TOOL_NAME_ADJUSTED).
  { tool: 'find_pet_by_id', method: 'GET', path: '/pets/{id}', security: 'public', scopes: '-', roles: '-' },
];

/** fixtures/cli/security.yaml: `|` separates alternatives (OR), `+` joins the schemes of one requirement (AND). */
const SECURITY_SHAPES: readonly Row[] = [
  { tool: 'createThing', method: 'POST', path: '/things', security: 'c(y z)', scopes: 'y z', roles: '-' },
  { tool: 'health', method: 'GET', path: '/health', security: 'public', scopes: '-', roles: '-' },
  { tool: 'listThings', method: 'GET', path: '/things', security: 'a(x) | b + c(y)', scopes: 'x | y', roles: '-' },
];

const tables: readonly [string, { spec: string; want: readonly Row[] }][] = [
  [
    'oai-petstore-expanded.yaml (no security)',
    { spec: join(SPECS, 'oai-petstore-expanded.yaml'), want: PETSTORE_EXPANDED },
  ],
  [
    'security.yaml (OR of ANDs, security: [], the document default)',
    { spec: 'fixtures/cli/security.yaml', want: SECURITY_SHAPES },
  ],
];

describe('inspect', () => {
  test.concurrent.each(tables)(
    '%s: a TOOL METHOD PATH SECURITY table, one row per operation',
    async (_name, { spec, want }) => {
      const result = await cli(['inspect', spec]);
      expect(result.status, result.stderr).toBe(0);
      const table = parseTable(result.stdout);
      expect(table.header).toEqual(['TOOL', 'METHOD', 'PATH', 'SECURITY', 'SCOPES', 'ROLES']);
      expect(table.rows).toEqual(want);
    },
  );

  test.concurrent.each(tables)(
    '%s --json: the same rows under `tools`, diagnostics as an array',
    async (_name, { spec, want }) => {
      const result = await cli(['inspect', '--json', spec]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      const json = JSON.parse(result.stdout) as { tools: Row[]; diagnostics: unknown[] };
      expect(json.tools).toEqual(want);
      expect(Array.isArray(json.diagnostics)).toBe(true);
      for (const d of json.diagnostics)
        expect(d).toMatchObject({
          code: expect.any(String),
          severity: expect.any(String),
          message: expect.any(String),
        });
    },
  );

  test.concurrent('petstore --json reports the adjusted tool name with its pointer', async () => {
    const json = JSON.parse((await cli(['inspect', '--json', join(SPECS, 'oai-petstore-expanded.yaml')])).stdout) as {
      diagnostics: unknown[];
    };
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
    expect(about).toMatchObject({
      tool: 'drive.about.get',
      method: 'GET',
      path: '/about',
      security: [
        'drive',
        'drive.appdata',
        'drive.file',
        'drive.metadata',
        'drive.metadata.readonly',
        'drive.photos.readonly',
        'drive.readonly',
      ]
        .map(both)
        .join(' | '),
    });
    expect(tools.find((t) => t.tool === 'drive.apps.list')?.security).toBe(both('drive.apps.readonly'));
    // The MCP caller needs one scope of the seven (the AND-ed schemes name the same scope).
    expect(about?.scopes.split(' | ')).toHaveLength(7);
    expect(tools.find((t) => t.tool === 'drive.apps.list')?.scopes).toBe(scope('drive.apps.readonly'));
  });

  test.concurrent('--strict turns the security lint into errors (exit 1)', async () => {
    const plain = await cli(['inspect', '--json', 'fixtures/cli/security.yaml']);
    expect(plain.status).toBe(0);
    const strict = await cli(['inspect', '--json', '--strict', 'fixtures/cli/security.yaml']);
    expect(strict.status).toBe(1);
    const { diagnostics } = JSON.parse(strict.stdout) as { diagnostics: { code: string; severity: string }[] };
    // `health` is public (security: []), so any caller may call it.
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'LINT_TOOL_WITHOUT_SCOPE', severity: 'error' }));
  });

  test.concurrent('diagnostics go to stderr, so stdout is only the table', async () => {
    const result = await cli(['inspect', '--verbose', join(SPECS, 'oai-petstore-expanded.yaml')]);
    expect(result.stderr).toMatch(/^info TOOL_NAME_ADJUSTED /m);
    expect(result.stdout).not.toMatch(/TOOL_NAME_ADJUSTED/);
    expect(parseTable(result.stdout).rows).toHaveLength(4);
  });
});
