// Build step (after tsc): prettier's output for every scaffold template that renders the same text
// for every spec, so `generate` looks it up instead of loading prettier for it (issue 8). Written to
// dist/ (see src/emit/preformatted.ts); keys are hashes of the text, so a stale entry is never used.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dist = (module) => import(join(ROOT, 'dist/src/emit', module));
const { formatWithPrettier, parserFor } = await dist('format.js');
const { precompileTemplate, renderTemplate } = await dist('project-templates.js');
const { PRECOMPILED_FILE, templateKey } = await dist('precompiled-templates.js');
const { PREFORMATTED_FILE, preformatKey } = await dist('preformatted.js');
const { TEMPLATES_DIR } = await dist('runtime-files.js');

// Every template precompiled (see src/emit/precompiled-templates.ts), keyed by its source's hash, in name order.
const names = readdirSync(join(TEMPLATES_DIR, 'project'))
  .filter((name) => name.endsWith('.hbs'))
  .sort();
const specs = names.map((name) => {
  const source = readFileSync(join(TEMPLATES_DIR, 'project', name), 'utf8');
  return `  // ${name}\n  ${JSON.stringify(templateKey(source))}: ${precompileTemplate(source)},\n`;
});
writeFileSync(
  PRECOMPILED_FILE,
  `// Written by scripts/preformat-templates.mjs: Handlebars.precompile of templates/project/*.hbs.\n'use strict';\nmodule.exports = {\n${specs.join('')}};\n`,
);

const table = {};
for (const name of readdirSync(join(TEMPLATES_DIR, 'project')).sort()) {
  const source = readFileSync(join(TEMPLATES_DIR, 'project', name), 'utf8');
  // A template with a mustache may render differently per spec: prettier formats it at generate time.
  if (!name.endsWith('.hbs') || source.includes('{{')) continue;
  // The output path keeps the template's extension, which is all prettier's parser choice reads.
  const path = name.slice(0, -'.hbs'.length);
  const parser = parserFor(path);
  if (parser === undefined) continue;
  const rendered = renderTemplate(name, {});
  // emit-project.ts looks such a template up by its source, without rendering it: only where they agree.
  if (rendered !== source) continue;
  table[preformatKey(parser, rendered)] = await formatWithPrettier(parser, path, rendered);
}
const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(PREFORMATTED_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
await import('./compile-schema-validators.mjs');
