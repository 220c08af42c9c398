import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { STACK_TRACE, cli, removeTempDirs, snapshot, tempDir } from './cli-process.js';

afterAll(removeTempDirs);

/**
 * DESIGN.md §7: the generator refuses to write into a non-empty folder it did
 * not create (no openapi-to-mcp.lock.json) unless --force, and never deletes a
 * file it does not own.
 */
const SPEC = 'fixtures/cli/minimal.yaml';
const LOCK = 'openapi-to-mcp.lock.json';

/** A folder the user made: a note and their own src/index.ts, which a generated project would overwrite. */
function userFolder(): string {
  const out = tempDir('out');
  mkdirSync(join(out, 'src'));
  writeFileSync(join(out, 'NOTES.md'), 'mine\n');
  writeFileSync(join(out, 'src/index.ts'), 'console.log("mine");\n');
  return out;
}

describe('generate -o <existing folder>', () => {
  test.concurrent('a non-empty folder without a lock file: OUTPUT_NOT_EMPTY, exit 1, files untouched', async () => {
    const out = userFolder();
    const before = snapshot(out);
    const result = await cli(['generate', SPEC, '-o', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error OUTPUT_NOT_EMPTY\b/m);
    expect(result.stderr).toContain(`${out} is not empty and has no ${LOCK}`);
    expect(result.stderr).toMatch(/hint: .*--force/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(snapshot(out)).toEqual(before);
  });

  test.concurrent('the same folder with --force: the project is written beside the user files', async () => {
    const out = userFolder();
    const result = await cli(['generate', SPEC, '-o', out, '--force']);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(out, LOCK))).toBe(true);
    expect(readFileSync(join(out, 'src/generated/tools.gen.ts'), 'utf8')).toContain('listItems');
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('mine\n');
  });

  test.concurrent('an empty folder needs no --force', async () => {
    const out = tempDir('out');
    const result = await cli(['generate', SPEC, '-o', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(out, LOCK))).toBe(true);
  });

  test.concurrent('a folder it created: regenerates without --force, keeps user files, same bytes', async () => {
    const out = join(tempDir('out'), 'project');
    const first = await cli(['generate', SPEC, '-o', out]);
    expect(first.status, first.stderr).toBe(0);
    const generated = snapshot(out);
    writeFileSync(join(out, 'NOTES.md'), 'mine\n');

    const second = await cli(['generate', SPEC, '-o', out]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/OUTPUT_NOT_EMPTY/);
    expect(snapshot(out)).toEqual({ ...generated, 'NOTES.md': 'mine\n' });
  });

  test.concurrent('-o naming a file: OUTPUT_WRITE_FAILED, exit 1, no stack trace, the file untouched', async () => {
    const parent = tempDir('out');
    const file = join(parent, 'not-a-folder');
    writeFileSync(file, 'keep\n');
    const result = await cli(['generate', SPEC, '-o', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error OUTPUT_WRITE_FAILED\b/m);
    expect(result.stderr).toMatch(/hint: /);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(snapshot(parent)).toEqual({ 'not-a-folder': 'keep\n' });
  });
});
