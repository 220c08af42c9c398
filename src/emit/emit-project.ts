import type { ProjectPlan, PlannedFile } from '../plan/plan-project.js';
import { printCasesFile } from './cases-file.js';
import { flatString } from './flat-string.js';
import { formatFile, parserFor } from './format.js';
import { TableEmitter } from './generated-tables.js';
import { renderTemplate, templateData } from './project-templates.js';
import { formatReadme } from './readme-table.js';
import { preformatted } from './preformatted.js';
import { MARKDOWN_PLAIN, renderChecked, YAML_PLAIN } from './render-checked.js';
import { readProjectTemplate, readRuntimeFile } from './runtime-files.js';

/**
 * What the README prints that `formatReadme` formats on its own terms: the two tables (their cells
 * are checked there) and the client snippets (JSON blocks, printed by readme-json.ts, and shell
 * lines in code blocks, which prettier leaves as they are).
 */
const README_EXEMPT: ReadonlySet<string> = new Set(['tools', 'envRows', 'clients']);

export interface EmittedFile {
  readonly path: string;
  readonly owner: PlannedFile['owner'];
  readonly content: string;
}

/**
 * Plan -> file contents, formatted. The runtime is copied byte for byte (it is formatted in this
 * repository); the data tables come out of `TableEmitter` already formatted; prettier formats the
 * scaffold rendered from templates.
 */
export async function emitProject(plan: ProjectPlan): Promise<EmittedFile[]> {
  const tables = new TableEmitter();
  const data = templateData(plan.model, plan.options);
  const toolsByName = new Map(plan.model.tools.map((t) => [t.name, t]));
  const out: EmittedFile[] = [];
  for (const file of plan.files) {
    const { source } = file;
    let content: string;
    switch (source.kind) {
      case 'runtime':
        content = readRuntimeFile(source.file);
        break;
      case 'template': {
        // A template built already formatted (no mustache: its text is its rendering) needs neither step.
        const constant = preformattedTemplate(file.path, source.template);
        if (constant !== undefined) {
          content = constant;
          break;
        }
        const printed =
          file.path === 'test/cases.gen.ts'
            ? printCasesFile(readProjectTemplate(source.template), (data as { cases: unknown }).cases)
            : undefined;
        if (printed !== undefined) {
          content = printed;
          break;
        }
        if (file.path === 'README.md') {
          const { text, plain } = renderChecked(source.template, data, MARKDOWN_PLAIN, README_EXEMPT);
          content = await formatReadme(text, (markdown) => formatFile(file.path, markdown), plain);
          break;
        }
        if (parserFor(file.path) === 'yaml') {
          // Templates written in prettier's YAML format: with plain values, so is their rendering.
          const { text, plain } = renderChecked(source.template, data, YAML_PLAIN);
          content = plain ? text : await formatFile(file.path, text);
          break;
        }
        content = await formatFile(file.path, renderTemplate(source.template, data));
        break;
      }
      case 'tool-table':
        content = tables.tool(toolsByName.get(source.tool)!);
        break;
      case 'tool-index':
        content = tables.toolIndex(plan.model);
        break;
      case 'schemas-table':
        content = tables.schemas(plan.model);
        break;
      case 'security-table':
        content = tables.security(plan.model);
        break;
      case 'server-table':
        content = tables.server(plan.model, plan.options.toolMode);
        break;
    }
    // Flat before it outlives a GC: see flat-string.ts.
    out.push({ path: file.path, owner: file.owner, content: flatString(content) });
  }
  return out;
}

/**
 * The formatted text of a template without mustaches, from the table the build wrote; undefined
 * for any other template (or without the table). Such a template renders to its own text
 * (Handlebars changes nothing outside `{{ }}`), so its source is the key.
 */
function preformattedTemplate(path: string, template: string): string | undefined {
  const parser = parserFor(path);
  if (parser === undefined) return undefined;
  const source = readProjectTemplate(template);
  return source.includes('{{') ? undefined : preformatted(parser, source);
}
