import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SPECS, cli, removeTempDirs, tempDir } from './cli-process.js';

afterAll(removeTempDirs);

/**
 * DESIGN.md §1: `--json` prints machine-readable results: stdout is one JSON
 * document (nothing else), with `ok` and every diagnostic as
 * `{ code, severity, message, pointer?, hint? }`. The exit code still says
 * what happened.
 */
interface JsonReport {
  readonly ok: boolean;
  readonly tools?: number;
  readonly files?: number;
  readonly diagnostics: readonly Record<string, unknown>[];
}

const rows: readonly [
  string,
  {
    spec: string;
    setup?: (out: string) => void;
    status: number;
    ok: boolean;
    want: readonly Record<string, unknown>[];
  },
][] = [
  [
    'a spec without security: only the lint warning that its tools need no scope',
    {
      spec: 'fixtures/cli/minimal.yaml',
      status: 0,
      ok: true,
      want: [{ code: 'LINT_TOOL_WITHOUT_SCOPE', severity: 'warning', hint: expect.any(String) }],
    },
  ],
  [
    'a spec with an info diagnostic (petstore: an adjusted tool name)',
    {
      spec: join(SPECS, 'oai-petstore-expanded.yaml'),
      status: 0,
      ok: true,
      want: [{ code: 'TOOL_NAME_ADJUSTED', severity: 'info', pointer: '/paths/~1pets~1{id}/get' }],
    },
  ],
  [
    'an unresolved $ref',
    {
      spec: 'fixtures/cli/dangling-ref.yaml',
      status: 1,
      ok: false,
      want: [
        {
          code: 'REF_UNRESOLVED',
          severity: 'error',
          pointer: '/paths/~1pets/get/responses/200/content/application~1json/schema',
          hint: expect.any(String),
        },
      ],
    },
  ],
  [
    'a folder it did not create',
    {
      spec: 'fixtures/cli/minimal.yaml',
      setup: (out) => writeFileSync(join(out, 'NOTES.md'), 'mine\n'),
      status: 1,
      ok: false,
      want: [{ code: 'OUTPUT_NOT_EMPTY', severity: 'error', hint: expect.any(String) }],
    },
  ],
];

describe('generate --strict', () => {
  test.concurrent('turns the security lint into errors: exit 1, nothing written', async () => {
    const out = tempDir('strict');
    const result = await cli(['generate', 'fixtures/cli/minimal.yaml', '-o', out, '--json', '--strict']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'LINT_TOOL_WITHOUT_SCOPE', severity: 'error' }),
    );
    expect(existsSync(join(out, 'openapi-to-mcp.lock.json'))).toBe(false);
  });
});

describe('generate --json', () => {
  test.concurrent.each(rows)('%s', async (_name, { spec, setup, status, ok, want }) => {
    const out = tempDir('json');
    setup?.(out);
    const result = await cli(['generate', spec, '-o', out, '--json']);
    expect(result.status, result.stderr).toBe(status);
    // Everything a script needs is on stdout; nothing human-only is mixed in.
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(ok);
    for (const d of report.diagnostics) {
      expect(d).toMatchObject({
        code: expect.stringMatching(/^[A-Z0-9_]+$/),
        severity: expect.stringMatching(/^(error|warning|info)$/),
        message: expect.any(String),
      });
    }
    for (const w of want) expect(report.diagnostics).toContainEqual(expect.objectContaining(w));
    if (want.length === 0) expect(report.diagnostics).toEqual([]);
    if (ok) expect(report).toMatchObject({ tools: expect.any(Number), files: expect.any(Number) });
    expect(existsSync(join(out, 'openapi-to-mcp.lock.json'))).toBe(ok);
  });
});
