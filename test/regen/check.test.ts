import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli, removeTempDirs, snapshot, tempDir } from '../cli/cli-process.js';
import { addGetPet, removeDeletePet, writeSpec } from './regen-support.js';

afterAll(removeTempDirs);

interface CheckJson {
  readonly ok: boolean;
  readonly stale?: boolean;
  readonly files: number;
  readonly changes: {
    readonly added: string[];
    readonly changed: string[];
    readonly removed: string[];
    readonly kept: { path: string; reason: string }[];
    readonly tools: { added: string[]; removed: string[]; changed: string[] };
  };
}

/** A freshly generated project from a copy of petstore in its own folder: `{ spec, out }`. */
async function freshProject(label: string): Promise<{ spec: string; out: string }> {
  const dir = tempDir(label);
  const spec = writeSpec(dir, 'openapi.yaml');
  const out = join(dir, 'project');
  const result = await cli(['generate', spec, '-o', out]);
  expect(result.status, result.stderr).toBe(0);
  return { spec, out };
}

/** DESIGN.md §1, §7: `--check` exits 0 when current and 3 when stale; `--dry-run` shows the same and writes nothing. */
describe('generate --check and --dry-run', () => {
  test.concurrent('--check: 0 on a fresh project, 3 after the spec changes, 0 again after regenerating', async () => {
    const { spec, out } = await freshProject('check');
    const current = await cli(['generate', spec, '-o', out, '--check']);
    expect(current.status, current.stderr).toBe(0);
    expect(current.stdout).toContain('is up to date');

    writeSpec(join(out, '..'), 'openapi.yaml', (s) => {
      addGetPet(s);
      removeDeletePet(s);
    });
    const before = snapshot(out);
    const stale = await cli(['generate', spec, '-o', out, '--check']);
    expect(stale.status, stale.stderr).toBe(3);
    expect(stale.stdout).toContain('is stale');
    expect(stale.stdout).toMatch(/files: 1 added, \d+ changed, 1 removed/);
    expect(stale.stdout).toContain('tools: 1 added (getPet), 1 removed (deletePet), 0 changed');
    expect(stale.stdout).toContain('+ src/generated/tools/getPet.gen.ts');
    expect(stale.stdout).toContain('- src/generated/tools/deletePet.gen.ts');
    expect(stale.stdout).toContain('~ src/generated/tools.gen.ts');
    expect(snapshot(out)).toEqual(before);

    const regenerate = await cli(['generate', spec, '-o', out]);
    expect(regenerate.status, regenerate.stderr).toBe(0);
    const again = await cli(['generate', spec, '-o', out, '--check']);
    expect(again.status, again.stdout).toBe(0);
  });

  test.concurrent('--check --json: stale, the changed files and tools as data, exit 3', async () => {
    const { spec, out } = await freshProject('check-json');
    writeSpec(join(out, '..'), 'openapi.yaml', addGetPet);
    const result = await cli(['generate', spec, '-o', out, '--check', '--json']);
    expect(result.status).toBe(3);
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(report).toMatchObject({ ok: true, stale: true, files: 0 });
    expect(report.changes.added).toEqual(['src/generated/tools/getPet.gen.ts']);
    expect(report.changes.changed).toEqual(
      expect.arrayContaining(['openapi-to-mcp.lock.json', 'src/generated/tools.gen.ts']),
    );
    expect(report.changes.removed).toEqual([]);
    expect(report.changes.tools).toEqual({ added: ['getPet'], removed: [], changed: [] });
  });

  test.concurrent(
    'a hand-edited generated file makes the project stale; a hand-edited scaffold file does not',
    async () => {
      const { spec, out } = await freshProject('check-edits');
      appendFileSync(join(out, 'README.md'), '\nOur notes.\n');
      writeFileSync(join(out, 'src/policy.ts'), 'export const policy = () => ({ allow: false });\n');
      const scaffoldOnly = await cli(['generate', spec, '-o', out, '--check', '--json']);
      expect(scaffoldOnly.status, scaffoldOnly.stdout).toBe(0);
      expect((JSON.parse(scaffoldOnly.stdout) as CheckJson).changes.kept).toEqual([
        { path: 'README.md', reason: 'edited' },
      ]);

      appendFileSync(join(out, 'src/generated/tools/createPet.gen.ts'), '// patched\n');
      const generated = await cli(['generate', spec, '-o', out, '--check']);
      expect(generated.status).toBe(3);
      expect(generated.stdout).toContain('tools: 0 added, 0 removed, 1 changed (createPet)');
      expect(generated.stdout).toContain('~ src/generated/tools/createPet.gen.ts');
    },
  );

  test.concurrent('--check of a folder that was never generated: stale, exit 3, nothing written', async () => {
    const dir = tempDir('check-empty');
    const spec = writeSpec(dir, 'openapi.yaml');
    const result = await cli(['generate', spec, '-o', join(dir, 'project'), '--check']);
    expect(result.status).toBe(3);
    expect(snapshot(join(dir, 'project'))).toBeNull();
  });

  test.concurrent('--dry-run: prints the changes, writes nothing, exit 0; with --json too', async () => {
    const { spec, out } = await freshProject('dry-run');
    writeSpec(join(out, '..'), 'openapi.yaml', removeDeletePet);
    const before = snapshot(out);
    const text = await cli(['generate', spec, '-o', out, '--dry-run']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('would change');
    expect(text.stdout).toContain('- src/generated/tools/deletePet.gen.ts');
    const json = await cli(['generate', spec, '-o', out, '--dry-run', '--json']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as CheckJson;
    expect(report.changes.removed).toEqual(['src/generated/tools/deletePet.gen.ts']);
    expect(report.changes.tools.removed).toEqual(['deletePet']);
    expect(report.stale).toBeUndefined();
    expect(snapshot(out)).toEqual(before);
  });

  test.concurrent(
    '--dry-run into a folder it did not create: OUTPUT_NOT_EMPTY, as the real run would say',
    async () => {
      const dir = tempDir('dry-run-foreign');
      const spec = writeSpec(dir, 'openapi.yaml');
      const out = join(dir, 'project');
      mkdirSync(out);
      writeFileSync(join(out, 'NOTES.md'), 'mine\n');
      const result = await cli(['generate', spec, '-o', out, '--dry-run']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^error OUTPUT_NOT_EMPTY\b/m);
      expect(snapshot(out)).toEqual({ 'NOTES.md': 'mine\n' });
    },
  );

  test.concurrent('generate --help documents --check, --dry-run and exit code 3', async () => {
    const result = await cli(['generate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--check/);
    expect(result.stdout).toMatch(/--dry-run/);
    expect(result.stdout).toMatch(/3 --check found the project stale/);
  });
});
