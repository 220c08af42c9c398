import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SPECS, STACK_TRACE, cli, hasSpec, removeTempDirs, snapshot, tempDir } from './cli-process.js';

afterAll(removeTempDirs);

/**
 * DESIGN.md §1: a spec that cannot be used exits 1 with a coded diagnostic
 * (what, where, what to do) and never touches the output folder. Specs are
 * passed relative to the repository (the CLI's cwd), so messages name them as
 * given.
 */
const rows: readonly [string, { spec: string; code: string; want: readonly (string | RegExp)[] }][] = [
  [
    'a missing file',
    {
      spec: 'fixtures/cli/no-such-spec.yaml',
      code: 'INPUT_NOT_FOUND',
      want: [
        'The spec file fixtures/cli/no-such-spec.yaml does not exist.',
        /hint: Check the path; relative paths are resolved against \/.+/,
      ],
    },
  ],
  [
    'malformed YAML (line 9, column 20 is the bad nested mapping)',
    {
      spec: 'fixtures/cli/bad-yaml.yaml',
      code: 'INPUT_PARSE_ERROR',
      want: ['fixtures/cli/bad-yaml.yaml:9:20', 'Nested mappings are not allowed', 'hint: '],
    },
  ],
  [
    'malformed JSON (the trailing comma makes line 5, column 42 wrong)',
    {
      spec: 'fixtures/cli/bad-json.json',
      code: 'INPUT_PARSE_ERROR',
      want: ['fixtures/cli/bad-json.json:5:42', 'hint: '],
    },
  ],
  [
    'a JSON file that is not OpenAPI (a package.json)',
    {
      spec: 'fixtures/cli/not-openapi.json',
      code: 'INPUT_NOT_OPENAPI',
      want: [
        'fixtures/cli/not-openapi.json is not an OpenAPI document',
        'hint: Pass an OpenAPI 3.x or Swagger 2.0 document',
      ],
    },
  ],
  [
    'an unresolved $ref (tiny fixture)',
    {
      spec: 'fixtures/cli/dangling-ref.yaml',
      code: 'REF_UNRESOLVED',
      // Where the $ref is, and what it points at.
      want: [
        '#/paths/~1pets/get/responses/200/content/application~1json/schema',
        '"#/components/schemas/Missing"',
        'hint: ',
      ],
    },
  ],
  [
    'unresolved $refs in a real spec (DocuSign, Swagger 2.0)',
    {
      spec: join(SPECS, 'docusign-esignature.json'),
      code: 'REF_UNRESOLVED',
      want: [
        '#/definitions/witness/properties/offlineAttributes',
        '"#/definitions/offlineAttributes"',
        '#/definitions/Signature/properties/documents/items',
        '"#/definitions/signHashDocument"',
        // One error per dangling $ref (three in the document); the bundler also counted places it reached through other $refs.
        /^3 errors$/m,
      ],
    },
  ],
  [
    'a spec with webhooks but no operations (GitHub webhooks)',
    {
      spec: join(SPECS, 'github-webhooks.json'),
      code: 'NO_OPERATIONS',
      want: ['#/paths', 'nothing to turn into tools', 'hint: '],
    },
  ],
];

// Real specs outside the repository's subset (fixtures/specs) need the corpus beside the repository.
const available = rows.filter(([, { spec }]) => !spec.startsWith(SPECS) || hasSpec(spec.slice(SPECS.length + 1)));
const skipped = rows.filter((row) => !available.includes(row));

describe('generate with bad input exits 1, explains, and leaves the output alone', () => {
  // Listed as skipped (with what was left out) rather than silently dropped.
  for (const [name] of skipped) test.skip(`${name}: needs ../shared/specs`, () => {});
  describe.each(available)('%s', (_name, { spec, code, want }) => {
    const expectDiagnostic = (result: { status: number | null; stdout: string; stderr: string }): void => {
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^error ${code}\\b`, 'm'));
      for (const w of want) expect(result.stderr).toMatch(typeof w === 'string' ? new RegExp(escape(w)) : w);
      expect(result.stdout).toBe('');
      expect(`${result.stdout}\n${result.stderr}`).not.toMatch(STACK_TRACE);
      expect(result.stderr).not.toMatch(/^wrote /m);
    };

    test.concurrent('into an existing folder: its files stay as they were', async () => {
      const out = tempDir('bad-input');
      mkdirSync(join(out, 'src'));
      writeFileSync(join(out, 'KEEP.md'), 'the user wrote this\n');
      writeFileSync(join(out, 'src', 'index.ts'), 'export {};\n');
      const before = snapshot(out);

      expectDiagnostic(await cli(['generate', spec, '-o', out]));
      expect(snapshot(out)).toEqual(before);
    });

    test.concurrent(
      'into a folder that does not exist: it still does not exist, nor does anything beside it',
      async () => {
        const parent = tempDir('bad-input');
        const out = join(parent, 'out');

        expectDiagnostic(await cli(['generate', spec, '-o', out]));
        expect(readdirSync(parent)).toEqual([]);
      },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
