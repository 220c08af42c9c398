import type { ProjectPlan, PlannedFile } from '../plan/plan-project.js';
import { formatFile } from './format.js';
import { TableEmitter } from './generated-tables.js';
import { renderTemplate, templateData } from './project-templates.js';
import { formatReadme } from './readme-table.js';
import { readRuntimeFile } from './runtime-files.js';

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
