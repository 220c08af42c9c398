import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { constantEnvCells } from '../../src/emit/env-docs.js';
import { PRETTIER_OPTIONS } from '../../src/emit/format.js';
import { templateData } from '../../src/emit/project-templates.js';
import { formatReadme } from '../../src/emit/readme-table.js';
import { MARKDOWN_PLAIN, renderChecked, YAML_PLAIN } from '../../src/emit/render-checked.js';
import { loadDocument } from '../../src/load/index.js';
import type { OptionFlags } from '../../src/options.js';
import { planDocument } from '../../src/plan/plan-document.js';
import { REPO } from '../support/generated-project.js';

const SPECS = path.join(REPO, 'fixtures/specs');
const YAML_TEMPLATES = [
  ['ci-workflow.yml.hbs', 'openapi-to-mcp.yml'],
  ['kubernetes.yaml.hbs', 'kubernetes.yaml'],
] as const;
const README_EXEMPT = new Set(['tools', 'envRows', 'clients']);

const prettierFormat = (parser: string) => (text: string) => prettier.format(text, { ...PRETTIER_OPTIONS, parser });

async function dataOf(file: string, flags: OptionFlags = {}, edit?: (model: Record<string, unknown>) => void) {
  const loaded = await loadDocument(file, { validate: false });
  const plan = planDocument(loaded, { specPath: `../specs/${path.basename(file)}`, ...flags }).plan!;
  edit?.(plan.model.server as unknown as Record<string, unknown>);
  return templateData(plan.model, plan.options);
}

/**
 * The generated YAML files and README as `emitProject` prints them when every value is plain,
 * beside prettier's format of the same rendering (what it printed before, for any value).
 */
async function bothWays(data: object) {
  const out: { name: string; plain: boolean; ours: string; prettier: string }[] = [];
  for (const [template] of YAML_TEMPLATES) {
    const { text, plain } = renderChecked(template, data, YAML_PLAIN);
    const formatted = await prettierFormat('yaml')(text);
    // As emitProject: the rendering itself where it is plain, prettier's format otherwise.
    out.push({ name: template, plain, ours: plain ? text : formatted, prettier: formatted });
  }
  const { text, plain } = renderChecked('README.md.hbs', data, MARKDOWN_PLAIN, README_EXEMPT);
  const markdown = prettierFormat('markdown');
  out.push({
    name: 'README.md.hbs',
    plain,
    ours: await formatReadme(text, markdown, plain),
    prettier: await formatReadme(text, markdown, false),
  });
  return out;
}

describe('README and YAML printed without prettier where every value is plain', () => {
  const specs = readdirSync(SPECS).filter((name) => /\.(json|ya?ml)$/.test(name) && !name.includes('webhook'));

  it.each(specs)('%s: the same text as prettier’s, on the plain path', async (name) => {
    for (const file of await bothWays(await dataOf(path.join(SPECS, name))))
      expect(file.ours, file.name).toBe(file.prettier);
  });

  it('takes the plain path for every file of an ordinary spec', async () => {
    const files = await bothWays(await dataOf(path.join(SPECS, 'oai-petstore.yaml')));
    expect(files.map((file) => [file.name, file.plain])).toEqual([
      ['ci-workflow.yml.hbs', true],
      ['kubernetes.yaml.hbs', true],
      ['README.md.hbs', true],
    ]);
  });

  it('does not call prettier for a README whose tables and values are plain', async () => {
    const data = await dataOf(path.join(SPECS, 'oai-petstore.yaml'));
    const { text, plain } = renderChecked('README.md.hbs', data, MARKDOWN_PLAIN, README_EXEMPT);
    expect(plain).toBe(true);
    const refuse = () => Promise.reject(new Error('prettier called'));
    expect(await formatReadme(text, refuse, true)).toBe(await formatReadme(text, prettierFormat('markdown'), false));
  });

  it('any title, version, package name, spec path and CI folder: the plain path prints prettier’s text', async () => {
    const petstore = path.join(SPECS, 'oai-petstore.yaml');
    // Values of the plain patterns and just outside them (markdown and YAML syntax, long, wide).
    const piece = fc.constantFrom(
      'Pet',
      'store',
      'v1.2.3',
      '2020-08-27',
      'a_b',
      '*x*',
      '_y_',
      '`z`',
      '<b>',
      '#1',
      '&amp;',
      "it's",
      '"q"',
      'a:b',
      '@scope/pkg',
      '../specs/x.yaml',
      '(beta)',
      '1.',
      '-',
      '日本',
      'x'.repeat(70),
    );
    const value = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));
    const word = fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(value, value, word, word, fc.boolean(), async (title, version, name, folder, inSub) => {
        const flags: OptionFlags = {
          packageName: name,
          explicitName: true,
          specPath: `../specs/${folder}.yaml`,
          ...(inSub ? { ciProject: `servers/${folder}`, explicitCiRoot: true } : {}),
        };
        const data = await dataOf(petstore, flags, (server) => {
          server['title'] = title;
          server['version'] = version;
        });
        for (const file of await bothWays(data)) if (file.plain) expect(file.ours, file.name).toBe(file.prettier);
      }),
      { numRuns: 25, seed: 8 },
    );
  });

  it('every constant cell of the configuration table is one prettier keeps', async () => {
    for (const cell of constantEnvCells()) {
      const table = `| a |\n| --- |\n| ${cell} |\n`;
      expect(await prettierFormat('markdown')(table), cell).toBe(
        `| ${'a'.padEnd(cell.length)} |\n| ${'-'.repeat(cell.length)} |\n| ${cell} |\n`,
      );
    }
  });

  it('takes prettier for a value that is not plain', () => {
    const data = { title: 'Uses *stars*' };
    expect(renderChecked('README.md.hbs', { server: data }, MARKDOWN_PLAIN).plain).toBe(false);
    expect(renderChecked('README.md.hbs', { server: { title: 'Pets' } }, MARKDOWN_PLAIN).plain).toBe(true);
  });
});
