import type { JsonSchema, ServerDefinition } from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import type { GeneratorConfig } from '../config/types.js';
import type { LoadedDocument } from '../load/loaded-document.js';
import { accessOf, authorizationOf, scopesOf } from './access.js';
import { isObject } from './json-schema.js';
import { HTTP_METHODS, operationToTool } from './operation.js';
import { resolveObject } from './refs.js';
import { SchemaRegistry } from './schema-registry.js';
import { collectSchemes } from './security.js';
import { defaultBaseUrl } from './servers.js';
import { nameTools } from './tool-name.js';
import { trimOutputOnlyDefs, trimOutputSchema } from './trim.js';
import type { McpModel, ToolModel } from './types.js';

/** LoadedDocument -> McpModel. Pure: no I/O, same input, same output. */
export function buildModel(loaded: LoadedDocument, config: GeneratorConfig = {}): McpModel {
  const document = loaded.document as Record<string, unknown>;
  const diagnostics: Diagnostic[] = [];
  const registry = new SchemaRegistry(document, loaded.dialect);
  const schemes = collectSchemes(document, diagnostics);
  const ctx = { document, registry, schemes, diagnostics };

  const drafts: Omit<ToolModel, 'name'>[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const path of Object.keys(paths)) {
    const pathPointer = pointer('paths', path);
    const item = resolveObject(document, paths[path], pathPointer);
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const operation = resolveObject(document, item.value[method], `${pathPointer}/${method}`);
      if (!operation) continue;
      const operationPointer = `${pathPointer}/${method}`;
      drafts.push(operationToTool(ctx, path, item.value, pathPointer, method, operation.value, operationPointer));
      reportCallbacks(operation.value, operationPointer, diagnostics);
    }
  }
  reportWebhooks(document, diagnostics);
  if (drafts.length === 0) {
    diagnostics.push({
      code: 'NO_OPERATIONS',
      severity: 'error',
      message: 'The document has no operations under `paths`, so there is nothing to turn into tools.',
      pointer: '/paths',
      hint: 'Webhooks are not tools: an MCP server needs operations the API serves.',
    });
  }

  const names = nameTools(
    drafts.map((d) => ({
      key: `${d.http.method} ${d.http.path}`,
      ...(d.operationId !== undefined ? { operationId: d.operationId } : {}),
    })),
  );
  const tools: ToolModel[] = drafts.map((draft, i) => {
    const named = names[i] as (typeof names)[number];
    if (named.adjusted) {
      diagnostics.push({
        code: 'TOOL_NAME_ADJUSTED',
        severity: 'info',
        message: `${named.key} is the tool "${named.name}": ${named.adjusted}.`,
        pointer: draft.source,
      });
    }
    const access = accessOf(scopesOf(draft.security, config.scopes), []);
    return { name: named.name, ...draft, ...(draft.outputSchema ? { outputSchema: trimOutputSchema(draft.outputSchema) } : {}), access };
  });
  tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const used: Record<string, JsonSchema | boolean> = {};
  for (const name of [...new Set(tools.flatMap((t) => t.defs))].sort()) used[name] = registry.def(name).schema;
  const defs = trimOutputOnlyDefs(used, tools.map((t) => t.inputSchema));

  return {
    server: serverDefinition(document, diagnostics),
    tools,
    defs,
    schemes: [...schemes.values()],
    authorization: authorizationOf(tools, config),
    // Every model diagnostic points into the document the user gave.
    diagnostics: diagnostics.map((d) => (d.file ? d : { ...d, file: loaded.source })),
  };
}

function serverDefinition(document: Record<string, unknown>, diagnostics: Diagnostic[]): ServerDefinition {
  const info = isObject(document.info) ? document.info : {};
  const title = typeof info.title === 'string' && info.title.trim() !== '' ? info.title.trim() : 'API';
  const baseUrl = defaultBaseUrl(document, diagnostics);
  const description = typeof info.description === 'string' ? info.description.trim() : '';
  return {
    name: packageName(title),
    version: typeof info.version === 'string' ? info.version : '0.0.0',
    title,
    ...(description ? { description } : {}),
    ...(baseUrl ? { defaultBaseUrl: baseUrl } : {}),
  };
}

/** `Swagger Petstore` -> `swagger-petstore` (a valid npm package name). */
export function packageName(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'api'
  );
}

function reportCallbacks(operation: Record<string, unknown>, at: string, diagnostics: Diagnostic[]): void {
  if (!isObject(operation.callbacks)) return;
  for (const name of Object.keys(operation.callbacks)) {
    diagnostics.push({
      code: 'CALLBACK_SKIPPED',
      severity: 'info',
      message: `Callback "${name}" describes requests the API sends; it is not a tool.`,
      pointer: `${at}/callbacks/${name}`,
    });
  }
}

function reportWebhooks(document: Record<string, unknown>, diagnostics: Diagnostic[]): void {
  if (!isObject(document.webhooks)) return;
  const count = Object.keys(document.webhooks).length;
  if (count === 0) return;
  diagnostics.push({
    code: 'WEBHOOK_SKIPPED',
    severity: 'info',
    message:
      count === 1
        ? '1 webhook describes requests the API sends; it is not a tool.'
        : `${count} webhooks describe requests the API sends; they are not tools.`,
    pointer: '/webhooks',
  });
}
