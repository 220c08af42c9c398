import { appendFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO, removeTempDirs, tempDir } from '../cli/cli-process.js';
import { runCli } from '../cli/in-process.js';
import { runInProjectAsync, sharedDependencies } from '../support/generated-project.js';
import { removeDeletePet, writeSpec } from './regen-support.js';

afterAll(removeTempDirs);

const read = (path: string) => readFileSync(path, 'utf8');

/** Petstore generated in process into `<tempDir>/project`: `{ dir, spec, out }`. */
async function freshProject(label: string): Promise<{ dir: string; spec: string; out: string }> {
  const dir = tempDir(label);
  const spec = writeSpec(dir, 'openapi.yaml');
  const out = join(dir, 'project');
  const result = await runCli(['generate', spec, '-o', out]);
  expect(result.status, result.stderr).toBe(0);
  return { dir, spec, out };
}

/** Issue 10 item 6: generated projects' ownership holes. */
describe('edited files on regeneration', () => {
  test('an edited src/runtime/ file: --check names it (exit 3), generate restores it with EDITED_FILE_OVERWRITTEN', async () => {
    const { spec, out } = await freshProject('edited-runtime');
    const path = 'src/runtime/http/percent-encode.ts';
    const original = read(join(REPO, 'templates/runtime/http/percent-encode.ts'));
    appendFileSync(join(out, path), '// my local fix\n');

    const check = await runCli(['generate', spec, '-o', out, '--check']);
    expect(check.status).toBe(3);
    expect(check.stderr).toMatch(/^warning EDITED_FILE_OVERWRITTEN src\/runtime\/http\/percent-encode\.ts$/m);
    expect(check.stderr).toContain(`${path} was edited since openapi-to-mcp wrote it`);
    expect(check.stdout).toContain(`~ ${path}`);
    const json = await runCli(['generate', spec, '-o', out, '--check', '--json']);
    expect(json.status).toBe(3);
    const report = JSON.parse(json.stdout) as {
      changes: { overwritten: string[] };
      diagnostics: { code: string; file?: string }[];
    };
    expect(report.changes.overwritten).toEqual([path]);
    expect(report.diagnostics.filter((d) => d.code === 'EDITED_FILE_OVERWRITTEN').map((d) => d.file)).toEqual([path]);
    expect(read(join(out, path))).toContain('my local fix');

    const regenerate = await runCli(['generate', spec, '-o', out]);
    expect(regenerate.status, regenerate.stderr).toBe(0);
    expect(regenerate.stderr).toMatch(/^warning EDITED_FILE_OVERWRITTEN src\/runtime\/http\/percent-encode\.ts$/m);
    expect(regenerate.stderr).toContain(`replaced your edited ${path} with the generator's version`);
    expect(read(join(out, path))).toBe(original);

    const again = await runCli(['generate', spec, '-o', out, '--check']);
    expect(again.status, again.stdout).toBe(0);
    expect(again.stderr).not.toContain('EDITED_FILE_OVERWRITTEN');
  });

  test('a runtime file listed in .openapi-to-mcp-keep keeps its patch: reported, not stale; unlisted, it is restored', async () => {
    const { spec, out } = await freshProject('keep-list');
    const path = 'src/runtime/http/percent-encode.ts';
    appendFileSync(join(out, path), '// patched until the fix ships\n');
    const patched = read(join(out, path));
    writeFileSync(join(out, '.openapi-to-mcp-keep'), `# our patches\n${path}\n`);

    const regenerate = await runCli(['generate', spec, '-o', out]);
    expect(regenerate.status, regenerate.stderr).toBe(0);
    expect(regenerate.stderr).toMatch(/^warning EDITED_FILE_KEPT src\/runtime\/http\/percent-encode\.ts$/m);
    expect(regenerate.stderr).toContain(`kept your edited ${path}, as .openapi-to-mcp-keep asks`);
    expect(regenerate.stderr).not.toContain('EDITED_FILE_OVERWRITTEN');
    expect(read(join(out, path))).toBe(patched);
    const check = await runCli(['generate', spec, '-o', out, '--check', '--json']);
    expect(check.status, check.stdout).toBe(0);
    expect((JSON.parse(check.stdout) as { changes: { kept: unknown[] } }).changes.kept).toEqual([
      { path, reason: 'listed' },
    ]);

    writeFileSync(join(out, '.openapi-to-mcp-keep'), '# nothing kept\n');
    const unlisted = await runCli(['generate', spec, '-o', out]);
    expect(unlisted.status, unlisted.stderr).toBe(0);
    expect(unlisted.stderr).toMatch(/^warning EDITED_FILE_OVERWRITTEN src\/runtime\/http\/percent-encode\.ts$/m);
    expect(read(join(out, path))).toBe(read(join(REPO, 'templates/runtime/http/percent-encode.ts')));
    expect(read(join(out, '.openapi-to-mcp-keep'))).toBe('# nothing kept\n');
  });

  test('an edited test/cases.gen.ts is reported and replaced like the rest of the generator files', async () => {
    const { spec, out } = await freshProject('edited-cases');
    writeFileSync(join(out, 'test/cases.gen.ts'), 'export const cases = [];\n');
    const result = await runCli(['generate', spec, '-o', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^warning EDITED_FILE_OVERWRITTEN test\/cases\.gen\.ts$/m);
    expect(read(join(out, 'test/cases.gen.ts'))).toContain("tool: 'deletePet'");
  });

  test(
    'an edited test/server.test.ts and src/server.ts survive an operation leaving the spec, and the project builds and passes its tests',
    { timeout: 300_000 },
    async () => {
      const { dir, spec, out } = await freshProject('edited-tests');
      expect(read(join(out, 'test/cases.gen.ts'))).toContain("tool: 'deletePet'");
      // The documented places for a change: src/server.ts (the app the runtime serves) and the tests.
      const server = read(join(out, 'src/server.ts')).replace(
        'export const app = { server, tools,',
        "const ours = tools.map((t) => (t.name === 'createPet' ? { ...t, description: 'Adds a pet (ours).' } : t));\n\nexport const app = { server, tools: ours,",
      );
      expect(server).toContain('tools: ours');
      writeFileSync(join(out, 'src/server.ts'), server);
      const serverTest = read(join(out, 'test/server.test.ts')).replace(
        "  it('lists one tool per operation', async () => {",
        [
          "  it('serves our description of createPet', async () => {",
          '    const { tools } = await client.listTools();',
          "    expect(tools.find((t) => t.name === 'createPet')?.description).toBe('Adds a pet (ours).');",
          '  });',
          '',
          "  it('lists one tool per operation', async () => {",
        ].join('\n'),
      );
      expect(serverTest).toContain('serves our description');
      writeFileSync(join(out, 'test/server.test.ts'), serverTest);

      writeSpec(dir, 'openapi.yaml', removeDeletePet);
      const regenerate = await runCli(['generate', spec, '-o', out]);
      expect(regenerate.status, regenerate.stderr).toBe(0);
      expect(regenerate.stderr).toMatch(/^warning EDITED_FILE_KEPT src\/server\.ts$/m);
      expect(regenerate.stderr).toMatch(/^warning EDITED_FILE_KEPT test\/server\.test\.ts$/m);
      expect(regenerate.stderr).not.toContain('EDITED_FILE_OVERWRITTEN');
      expect(read(join(out, 'src/server.ts'))).toContain('tools: ours');
      expect(read(join(out, 'test/server.test.ts'))).toContain('serves our description');
      expect(read(join(out, 'test/cases.gen.ts'))).not.toContain('deletePet');
      expect((await runCli(['generate', spec, '-o', out, '--check'])).status).toBe(0);

      symlinkSync(sharedDependencies(out), join(out, 'node_modules'), 'dir');
      // The project's own test config type-checks the edited tests and cases.gen.ts with src/.
      const tsc = await runInProjectAsync(out, 'tsc', ['-p', 'tsconfig.test.json']);
      expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
      const vitest = await runInProjectAsync(out, 'vitest', ['run', '--reporter=verbose']);
      expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
      expect(vitest.stdout).toMatch(/createPet sends the request the API describes/);
      expect(vitest.stdout).not.toMatch(/deletePet/);
    },
  );
});
