import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { formatWithPrettier, parserFor } from '../../src/emit/format.js';
import { PREFORMATTED_FILE, preformatKey, preformatted } from '../../src/emit/preformatted.js';
import { renderTemplate } from '../../src/emit/project-templates.js';
import { TEMPLATES_DIR } from '../../src/emit/runtime-files.js';

/** The scaffold templates without a mustache: the same text for every spec. */
const constant = readdirSync(join(TEMPLATES_DIR, 'project'))
  .filter((name) => !readFileSync(join(TEMPLATES_DIR, 'project', name), 'utf8').includes('{{'))
  .map((name) => ({ name, path: name.slice(0, -'.hbs'.length) }))
  .filter(({ path }) => parserFor(path) !== undefined);

afterEach(() => {
  vi.doUnmock('prettier');
  vi.resetModules();
});

describe('scaffold templates formatted when the package is built (issue 8)', () => {
  test('the build wrote the table (npm run build runs scripts/preformat-templates.mjs)', () => {
    expect(existsSync(PREFORMATTED_FILE)).toBe(true);
    expect(constant.map((t) => t.path)).toContain('auth.test.ts');
  });

  test.each(constant)('$name: the table holds what prettier makes of it now', async ({ name, path }) => {
    const parser = parserFor(path)!;
    const rendered = renderTemplate(name, {});
    expect(preformatted(parser, rendered)).toBe(await formatWithPrettier(parser, path, rendered));
  });

  test.each(constant)('$name renders to its own text, so emitting looks it up without Handlebars', ({ name, path }) => {
    const source = readFileSync(join(TEMPLATES_DIR, 'project', name), 'utf8');
    expect(renderTemplate(name, {})).toBe(source);
    expect(preformatted(parserFor(path)!, source)).toBeDefined();
  });

  test('text that is not in the table (a changed template, spec data) is not answered from it', () => {
    expect(preformatted('typescript', 'const a = 1;\n')).toBeUndefined();
    const [first] = constant;
    const rendered = renderTemplate(first!.name, {});
    // The same text under another parser is another key.
    expect(preformatKey('typescript', rendered)).not.toBe(preformatKey('markdown', rendered));
  });

  test('formatFile answers a constant template without importing prettier', async () => {
    vi.resetModules();
    vi.doMock('prettier', () => {
      throw new Error('prettier was imported');
    });
    const { formatFile } = await import('../../src/emit/format.js');
    const dev = constant.find((t) => t.path === 'dev.ts')!;
    const rendered = renderTemplate(dev.name, {});
    await expect(formatFile('src/dev.ts', rendered)).resolves.toBe(preformatted('typescript', rendered));
    await expect(formatFile('src/other.ts', 'const a  =  1')).rejects.toThrow(/mock/);
  });
});
