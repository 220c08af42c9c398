import type { ProjectPlan, PlannedFile } from '../plan/plan-project.js';
import { printCasesFile } from './cases-file.js';
import { formatFile, parserFor } from './format.js';
import { TableEmitter } from './generated-tables.js';
import { renderTemplate, templateData } from './project-templates.js';
import { formatReadme } from './readme-table.js';
import { preformatted } from './preformatted.js';
import { readProjectTemplate, readRuntimeFile } from './runtime-files.js';

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
        const rendered = renderTemplate(source.template, data);
        content =
          file.path === 'README.md'
            ? await formatReadme(rendered, (markdown) => formatFile(file.path, markdown))
            : await formatFile(file.path, rendered);
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
    out.push({ path: file.path, owner: file.owner, content });
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
