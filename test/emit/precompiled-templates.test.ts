import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PRECOMPILED_FILE, precompiledSpec, templateKey } from '../../src/emit/precompiled-templates.js';
import { renderTemplate, templateData } from '../../src/emit/project-templates.js';
import { TEMPLATES_DIR } from '../../src/emit/runtime-files.js';
import { loadDocument } from '../../src/load/index.js';
import { planDocument } from '../../src/plan/plan-document.js';
import { REPO } from '../support/generated-project.js';

const templates = readdirSync(join(TEMPLATES_DIR, 'project'))
  .filter((name) => name.endsWith('.hbs'))
  .sort()
  .map((name) => ({ name, source: readFileSync(join(TEMPLATES_DIR, 'project', name), 'utf8') }));

afterEach(() => {
  vi.doUnmock('../../src/emit/precompiled-templates.js');
  vi.resetModules();
});

async function petstoreData(): Promise<object> {
  const loaded = await loadDocument(join(REPO, 'fixtures/specs/oai-petstore.yaml'), { validate: false });
  const plan = planDocument(loaded, { specPath: '../specs/oai-petstore.yaml' }).plan!;
  return templateData(plan.model, plan.options);
}

describe('scaffold templates precompiled when the package is built (issue 8)', () => {
  test('the build wrote every template, keyed by its source (npm run build runs scripts/preformat-templates.mjs)', () => {
    expect(existsSync(PRECOMPILED_FILE)).toBe(true);
    expect(templates.length).toBeGreaterThan(20);
    for (const { source } of templates) expect(precompiledSpec(source)).toBeDefined();
  });

  test('an edited template is compiled, never answered with the compilation of its old text', () => {
    const { source } = templates.find((t) => t.name === 'README.md.hbs')!;
    expect(templateKey(`${source} `)).not.toBe(templateKey(source));
    expect(precompiledSpec(`${source} `)).toBeUndefined();
  });

  test('a precompiled template renders what the compiled one renders, helpers included', async () => {
    const data = await petstoreData();
    const fromTable = templates.map(({ name }) => renderTemplate(name, data));
    vi.resetModules();
    const none = vi.fn(() => undefined);
    vi.doMock('../../src/emit/precompiled-templates.js', async (original) => ({
      ...(await original<typeof import('../../src/emit/precompiled-templates.js')>()),
      precompiledSpec: none,
    }));
    const compiled = await import('../../src/emit/project-templates.js');
    const fromCompiler = templates.map(({ name }) => compiled.renderTemplate(name, data));
    expect(none).toHaveBeenCalledTimes(templates.length);
    expect(fromTable).toEqual(fromCompiler);
    // The data reaches the helpers: `json` (the cases), `oneLine`, `yamlString`.
    expect(fromTable.join('').length).toBeGreaterThan(20_000);
  });

  test('a compilation the runtime refuses (another compiler revision) is compiled again, not used', async () => {
    vi.resetModules();
    vi.doMock('../../src/emit/precompiled-templates.js', async (original) => ({
      ...(await original<typeof import('../../src/emit/precompiled-templates.js')>()),
      precompiledSpec: () => ({ compiler: [1, '1.0.0'], main: () => 'from an old compiler' }),
    }));
    const fresh = await import('../../src/emit/project-templates.js');
    const { source } = templates.find((t) => t.name === 'gitignore.hbs')!;
    expect(fresh.renderTemplate('gitignore.hbs', {})).toBe(source);
  });
});
