import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { REPO, cli, removeTempDirs, tempDir } from '../cli/cli-process.js';
import { removeDeletePet, writeSpec } from './regen-support.js';

afterAll(removeTempDirs);

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
const read = (path: string) => readFileSync(path, 'utf8');

async function freshProject(label: string): Promise<{ dir: string; spec: string; out: string }> {
  const dir = tempDir(label);
  const spec = writeSpec(dir, 'openapi.yaml');
  const out = join(dir, 'project');
  const result = await cli(['generate', spec, '-o', out]);
  expect(result.status, result.stderr).toBe(0);
  return { dir, spec, out };
}

/** DESIGN.md §7: what is the generator's, what is the user's, and what survives a regeneration. */
describe('ownership on regeneration', () => {
  test.concurrent(
    "the user's files survive, an edited scaffold file is kept and reported, a removed operation's tool file goes",
    async () => {
      const { dir, spec, out } = await freshProject('ownership');
      const policy = 'export const policy = () => ({ allow: false, reason: "ours" });\n';
      writeFileSync(join(out, 'src/policy.ts'), policy);
      writeFileSync(join(out, 'src/extra.ts'), 'export const mine = 1;\n');
      appendFileSync(join(out, 'README.md'), '\nOur runbook.\n');
      const readme = read(join(out, 'README.md'));
      appendFileSync(join(out, 'src/generated/tools/createPet.gen.ts'), '// hand patch\n');
      writeSpec(dir, 'openapi.yaml', removeDeletePet);

      const result = await cli(['generate', spec, '-o', out]);
      expect(result.status, result.stderr).toBe(0);
      expect(read(join(out, 'src/policy.ts'))).toBe(policy);
      expect(read(join(out, 'src/extra.ts'))).toBe('export const mine = 1;\n');
      expect(read(join(out, 'README.md'))).toBe(readme);
      expect(result.stderr).toMatch(/^warning EDITED_FILE_KEPT README\.md$/m);
      expect(result.stderr).toContain("kept your edited README.md; the generator's version would change it");
      expect(existsSync(join(out, 'src/generated/tools/deletePet.gen.ts'))).toBe(false);
      // Generated files are the generator's: a hand patch is overwritten.
      expect(read(join(out, 'src/generated/tools/createPet.gen.ts'))).not.toContain('hand patch');
      // The README stays yours on the next run too, and is not stale.
      expect((await cli(['generate', spec, '-o', out, '--check'])).status).toBe(0);
    },
  );

  test.concurrent('--json reports the kept file as a diagnostic and in changes.kept', async () => {
    const { spec, out } = await freshProject('ownership-json');
    appendFileSync(join(out, 'src/server.ts'), '// wired differently\n');
    appendFileSync(join(out, 'src/index.ts'), '// ours too\n');
    writeFileSync(join(out, 'package.json'), '{}\n');
    rmSync(join(out, 'openapi-to-mcp.lock.json'));
    // Without the lock file the folder is no longer one the generator knows: --force, and its scaffold is kept as the user's.
    const result = await cli(['generate', spec, '-o', out, '--json', '--force']);
    expect(result.status, result.stdout).toBe(0);
    const report = JSON.parse(result.stdout) as {
      changes: { kept: unknown[] };
      diagnostics: { code: string; file?: string }[];
    };
    expect(report.changes.kept).toEqual([
      { path: 'package.json', reason: 'unlocked' },
      { path: 'src/index.ts', reason: 'unlocked' },
      { path: 'src/server.ts', reason: 'unlocked' },
    ]);
    expect(report.diagnostics.filter((d) => d.code === 'EDITED_FILE_KEPT').map((d) => d.file)).toEqual([
      'package.json',
      'src/index.ts',
      'src/server.ts',
    ]);
    expect(read(join(out, 'package.json'))).toBe('{}\n');
  });

  test.concurrent(
    'an edited tool file of a removed operation is kept and reported; a deleted src/policy.ts is created again',
    async () => {
      const { dir, spec, out } = await freshProject('ownership-obsolete');
      appendFileSync(join(out, 'src/generated/tools/deletePet.gen.ts'), '// still needed\n');
      rmSync(join(out, 'src/policy.ts'));
      writeSpec(dir, 'openapi.yaml', removeDeletePet);
      const result = await cli(['generate', spec, '-o', out]);
      expect(result.status, result.stderr).toBe(0);
      expect(read(join(out, 'src/generated/tools/deletePet.gen.ts'))).toContain('// still needed');
      expect(result.stderr).toContain(
        'kept your edited src/generated/tools/deletePet.gen.ts; the generator no longer produces it',
      );
      expect(read(join(out, 'src/policy.ts'))).toContain('export const policy: Policy');
    },
  );

  test.concurrent('the lock file records each owner, the spec path from the project, and an options hash', async () => {
    const { out } = await freshProject('lock');
    const lock = JSON.parse(read(join(out, 'openapi-to-mcp.lock.json'))) as {
      version: string;
      spec: string;
      optionsHash: string;
      files: Record<string, { owner: string; sha256: string }>;
    };
    expect(Object.keys(lock)).toEqual(['generator', 'version', 'spec', 'specHash', 'optionsHash', 'files']);
    expect(lock).toMatchObject({
      version,
      spec: '../openapi.yaml',
      optionsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(lock.files['src/policy.ts']?.owner).toBe('user');
    expect(lock.files['README.md']?.owner).toBe('scaffold');
    expect(lock.files['.github/workflows/openapi-to-mcp.yml']?.owner).toBe('scaffold');
    expect(lock.files['src/generated/tools/createPet.gen.ts']?.owner).toBe('generator');
    expect(lock.files['src/runtime/mcp/types.ts']?.owner).toBe('generator');
    const paths = Object.keys(lock.files);
    expect(paths).toEqual([...paths].sort());
    // A different package name is a different option set.
    const renamed = await cli(['generate', join(out, '../openapi.yaml'), '-o', out, '--name', 'other-mcp', '--check']);
    expect(renamed.status).toBe(3);
  });

  test.concurrent(
    'the CI workflow checks with the same generator version and the spec path from the project, then builds and tests',
    async () => {
      const { dir } = await freshProject('ci');
      // The spec outside the project folder: the README says to commit it in the same repository.
      mkdirSync(join(dir, 'apis'));
      const spec = writeSpec(join(dir, 'apis'), 'pets.yaml');
      const out = join(dir, 'servers/pets');
      expect((await cli(['generate', spec, '-o', out])).status).toBe(0);
      const workflow = parse(read(join(out, '.github/workflows/openapi-to-mcp.yml'))) as {
        jobs: { check: { steps: { uses?: string; with?: Record<string, unknown>; run?: string }[] } };
      };
      const steps = workflow.jobs.check.steps;
      expect(steps[0]?.uses).toMatch(/^actions\/checkout@/);
      expect(steps[1]).toMatchObject({
        uses: expect.stringMatching(/^actions\/setup-node@/),
        with: { 'node-version': 22, cache: 'npm' },
      });
      expect(steps.slice(2).map((s) => s.run?.trim())).toEqual([
        'npm ci',
        // The generator locked by `npm ci` (an exact dev dependency); `--no`: npx never downloads the
        // unscoped `openapi-to-mcp`, which is someone else's package.
        'npx --no openapi-to-mcp generate ../../apis/pets.yaml -o . --check',
        'npm run build',
        'npm test',
      ]);
      const pkg = JSON.parse(read(join(out, 'package.json'))) as { devDependencies: Record<string, string> };
      expect(pkg.devDependencies['@openapi-to-mcp/cli']).toBe(version);
      expect(read(join(out, 'README.md'))).toMatch(
        /outside this folder \(`\.\.\/\.\.\/apis\/pets\.yaml`\): commit it in the same\s+repository/,
      );
    },
  );
});
