import type { JsonSchema, ServerDefinition } from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { pointer } from '../diagnostics.js';
import type { GeneratorConfig } from '../config/types.js';
import type { LoadedDocument } from '../load/loaded-document.js';
import { accessOf, authorizationOf, normalizeAlternatives, scopesOf } from './access.js';
import { isObject } from './json-schema.js';
import { HTTP_METHODS, operationToTool } from './operation.js';
import { resolveObject } from './refs.js';
import { SchemaRegistry } from './schema-registry.js';
import type { OperationContext } from './model-context.js';
import type { Reported } from './reported.js';
import { reported } from './reported.js';
import { collectSchemes, documentSecurity } from './security.js';
import { defaultBaseUrl } from './servers.js';
import { selectOperations } from './tool-selection.js';
import type { OperationEntry } from './tool-selection.js';
import { trimAnnotations, trimOutputOnlyDefs, trimOutputSchema, trimSchemaText } from './trim.js';
import type { McpModel, ToolModel } from './types.js';

export interface BuildOptions {
  /** The configuration file, as diagnostics about it name it. */
  readonly configFile?: string;
}

/** LoadedDocument (+ the validated generator configuration) -> McpModel. Pure: no I/O, same input, same output. */
export function buildModel(loaded: LoadedDocument, config: GeneratorConfig = {}, options: BuildOptions = {}): McpModel {
  const document = loaded.document as Record<string, unknown>;
  const diagnostics: Diagnostic[] = [];
  const registry = new SchemaRegistry(document, loaded.dialect, loaded.localRefs?.());
  const { value: schemes, diagnostics: schemeDiagnostics } = collectSchemes(document);
  diagnostics.push(...schemeDiagnostics);
  // The document's default security is read once; the first tool that inherits it carries its diagnostics.
  const defaultSecurity = documentSecurity(document, schemes);
  const ctx: OperationContext = {
    document,
    registry,
    schemes,
    ...(defaultSecurity ? { documentSecurity: defaultSecurity.value } : {}),
  };

  const entries = listOperations(document);
  for (const entry of entries) diagnostics.push(...callbackDiagnostics(entry.operation, entry.pointer));
  diagnostics.push(...webhookDiagnostics(document));
  const selection = selectOperations({ entries, document, config, configFile: options.configFile });
  diagnostics.push(...selection.diagnostics);
  const selected = selection.value;
  if (selected.length === 0) {
    diagnostics.push({
      code: 'NO_OPERATIONS',
      severity: 'error',
      message:
        entries.length === 0
          ? 'The document has no operations under `paths`, so there is nothing to turn into tools.'
          : `All ${entries.length} operations are excluded (by the configuration or x-mcp extensions), so there is nothing to turn into tools.`,
      pointer: '/paths',
      hint:
        entries.length === 0
          ? 'Webhooks are not tools: an MCP server needs operations the API serves.'
          : 'Run with --verbose to see why each operation was excluded (TOOL_EXCLUDED), and loosen `include` / `exclude`.',
    });
  }

  let defaultSecurityReported = false;
  const tools: ToolModel[] = selected.map((s) => {
    const { entry } = s;
    const built = operationToTool(ctx, {
      path: entry.path,
      method: entry.method,
      pathItem: entry.pathItem,
      pathPointer: entry.pathPointer,
      operation: entry.operation,
      operationPointer: entry.pointer,
    });
    const draft = built.value;
    diagnostics.push(...built.diagnostics);
    if (draft.securitySource === 'document' && defaultSecurity && !defaultSecurityReported) {
      diagnostics.push(...defaultSecurity.diagnostics);
      defaultSecurityReported = true;
    }
    const title = s.title ?? draft.title;
    const scopes = s.scopes ? normalizeAlternatives(s.scopes) : scopesOf(draft.security, config.scopes);
    const { operationId, title: _derivedTitle, ...rest } = draft;
    // Same key order as before any override, so generated files only change where the config says.
    return {
      name: s.name,
      ...(operationId !== undefined ? { operationId } : {}),
      ...(title !== undefined ? { title } : {}),
      ...rest,
      inputSchema: trimSchemaText(rest.inputSchema),
      ...(rest.outputSchema ? { outputSchema: trimOutputSchema(rest.outputSchema) } : {}),
      description: s.description ?? draft.description,
      // No `title` here: it would repeat Tool.title (trim.ts).
      annotations: trimAnnotations({ ...draft.annotations, ...s.annotations }),
      access: accessOf(scopes, s.roles),
    };
  });
  tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const used: Record<string, JsonSchema | boolean> = {};
  for (const name of [...new Set(tools.flatMap((t) => t.defs))].sort()) used[name] = registry.def(name).schema;
  const defs = mapValues(
    trimOutputOnlyDefs(
      used,
      tools.map((t) => t.inputSchema),
    ),
    trimSchemaText,
  );

  const server = serverDefinition(document);
  diagnostics.push(...server.diagnostics);
  return {
    server: {
      ...server.value,
      ...config.server,
      ...(config.transport?.default ? { defaultTransport: config.transport.default } : {}),
      ...(config.transport?.port !== undefined ? { defaultPort: config.transport.port } : {}),
      ...(config.outputSchemas ? { outputSchemas: config.outputSchemas } : {}),
    },
    tools,
    defs,
    schemes: [...schemes.values()],
    authorization: authorizationOf(tools, config),
    // Every other model diagnostic points into the document the user gave.
    diagnostics: onceEach(diagnostics).map((d) => (d.file ? d : { ...d, file: loaded.source })),
  };
}

function mapValues<V>(record: Readonly<Record<string, V>>, f: (value: V) => V): Record<string, V> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/** Every operation under `paths`, in document order (path items and operations may be `$ref`s). */
function listOperations(document: Record<string, unknown>): OperationEntry[] {
  const entries: OperationEntry[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const path of Object.keys(paths)) {
    const pathPointer = pointer('paths', path);
    const item = resolveObject(document, paths[path], pathPointer);
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const operationPointer = `${pathPointer}/${method}`;
      const operation = resolveObject(document, item.value[method], operationPointer);
      if (!operation) continue;
      const op = operation.value;
      entries.push({
        path,
        method,
        key: `${method.toUpperCase()} ${path}`,
        ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        pointer: operationPointer,
        pathItem: item.value,
        pathPointer,
        operation: op,
      });
    }
  }
  return entries;
}

function serverDefinition(document: Record<string, unknown>): Reported<ServerDefinition> {
  const info = isObject(document.info) ? document.info : {};
  const title = typeof info.title === 'string' && info.title.trim() !== '' ? info.title.trim() : 'API';
  const { value: baseUrl, diagnostics } = defaultBaseUrl(document);
  const description = typeof info.description === 'string' ? info.description.trim() : '';
  return reported(
    {
      name: packageName(title),
      version: typeof info.version === 'string' ? info.version : '0.0.0',
      title,
      ...(description ? { description } : {}),
      ...(baseUrl ? { defaultBaseUrl: baseUrl } : {}),
    },
    diagnostics,
  );
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

function callbackDiagnostics(operation: Record<string, unknown>, at: string): Diagnostic[] {
  if (!isObject(operation.callbacks)) return [];
  return Object.keys(operation.callbacks).map((name): Diagnostic => ({
    code: 'CALLBACK_SKIPPED',
    severity: 'info',
    message: `Callback "${name}" describes requests the API sends; it is not a tool.`,
    pointer: `${at}/callbacks/${name}`,
  }));
}

function webhookDiagnostics(document: Record<string, unknown>): Diagnostic[] {
  if (!isObject(document.webhooks)) return [];
  const count = Object.keys(document.webhooks).length;
  if (count === 0) return [];
  return [
    {
      code: 'WEBHOOK_SKIPPED',
      severity: 'info',
      message:
        count === 1
          ? '1 webhook describes requests the API sends; it is not a tool.'
          : `${count} webhooks describe requests the API sends; they are not tools.`,
      pointer: '/webhooks',
    },
  ];
}

/**
 * Each diagnostic once: what a path item declares for all its operations (a path-level parameter
 * that cannot be represented) is found once per operation, at the same pointer, with the same words.
 */
function onceEach(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.severity}\u0000${d.file ?? ''}\u0000${d.pointer ?? ''}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
