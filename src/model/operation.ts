import type { HttpMethod, JsonSchema, ParameterBinding, ToolAnnotations } from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { withoutDocLinks } from './doc-links.js';
import type { ParameterInput } from './parameters.js';
import { collectParameters } from './parameters.js';
import type { OperationContext, OperationSite } from './model-context.js';
import type { Reported } from './reported.js';
import { reported } from './reported.js';
import { collectRequestBody } from './request-body.js';
import { collectResponse } from './responses.js';
import { securityOf } from './security.js';
import { toolDescription, trimAnnotations } from './trim.js';
import type { ToolModel } from './types.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** MCP property names follow the tool-name alphabet; many clients reject anything else. */
const ARGUMENT_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;

/** One operation: where it is (OperationSite), its path template and its method. */
export interface OperationInput extends OperationSite {
  readonly path: string;
  readonly method: (typeof HTTP_METHODS)[number];
}

/** One operation -> one tool, without its final name (names are assigned across all tools). */
export function operationToTool(ctx: OperationContext, site: OperationInput): Reported<Omit<ToolModel, 'name'>> {
  const { registry } = ctx;
  const { path, method, operation, operationPointer } = site;
  const collected = collectParameters(ctx, site);
  const parameters = collected.value;
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const body = collectRequestBody(ctx, site);
  const response = collectResponse(ctx, site);

  const properties: Record<string, JsonSchema | boolean> = {};
  const required: string[] = [];
  const bindings: ParameterBinding[] = [];
  const taken = new Set<string>();
  const order = ['path', 'query', 'header', 'cookie'];
  const sorted = [...parameters].sort((a, b) => order.indexOf(a.binding.in) - order.indexOf(b.binding.in));
  for (const input of sorted) {
    const argument = argumentName(input, taken);
    if (argument !== input.binding.name) {
      diagnostics.push({
        code: 'PARAMETER_RENAMED',
        severity: 'info',
        message: `${input.binding.in} parameter "${input.binding.name}" is the argument "${argument}" of ${method.toUpperCase()} ${path}.`,
        pointer: operationPointer,
      });
    }
    taken.add(argument);
    properties[argument] = input.schema;
    if (input.binding.required) required.push(argument);
    bindings.push({ ...input.binding, argument });
  }
  let bodyArgument: string | undefined;
  if (body) {
    bodyArgument = ['body', 'requestBody', 'request_body'].find((n) => !taken.has(n)) ?? `body_${taken.size}`;
    properties[bodyArgument] = body.schema;
    if (body.required) required.push(bodyArgument);
  }
  const inputSchema: JsonSchema = {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
  const directRefs = new Set<string>([
    ...parameters.flatMap((p) => [...p.refs]),
    ...(body?.refs ?? []),
    ...response.refs,
  ]);
  const secured = securityOf(operation, operationPointer, ctx);
  diagnostics.push(...secured.diagnostics);
  const { security, source } = secured.value;
  // The title is the summary as a model reads it, like the description (doc-links.ts).
  const summary = withoutDocLinks(text(operation.summary));
  const description = toolDescription(summary, text(operation.description));
  const httpMethod = method.toUpperCase() as HttpMethod;
  const tool: Omit<ToolModel, 'name'> = {
    ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
    ...(summary ? { title: summary } : {}),
    description: (operation.deprecated === true ? 'Deprecated. ' : '') + (description || `${httpMethod} ${path}`),
    inputSchema,
    ...(response.outputSchema ? { outputSchema: response.outputSchema } : {}),
    defs: registry.closure(directRefs),
    annotations: trimAnnotations(annotationsFor(httpMethod, summary)),
    http: {
      method: httpMethod,
      // A `#` in a path key only makes the key unique (AWS: `/#Action=Describe`): a URL never sends
      // its fragment, and left in the template it would swallow the query the runtime appends.
      path: path.split('#')[0] as string,
      parameters: bindings,
      ...(body && bodyArgument
        ? {
            body: {
              argument: bodyArgument,
              mediaType: body.mediaType,
              encoding: body.encoding,
              required: body.required,
            },
          }
        : {}),
      ...(response.accept ? { accept: response.accept } : {}),
    },
    security,
    securitySource: source,
    // Filled in by buildModel once the configuration's scope mapping and role rules are applied.
    access: { scopes: [[]] },
    tags: Array.isArray(operation.tags) ? operation.tags.filter((t): t is string => typeof t === 'string') : [],
    source: operationPointer,
  };
  return reported(tool, diagnostics);
}

/** MCP 2025-11-25 "ToolAnnotations": hints from HTTP method semantics (RFC 9110 §9.2). */
export function annotationsFor(method: HttpMethod, title: string | undefined): ToolAnnotations {
  const safe = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE';
  return {
    ...(title ? { title } : {}),
    readOnlyHint: safe,
    ...(safe ? {} : { destructiveHint: method === 'DELETE' || method === 'PUT' }),
    ...(safe ? {} : { idempotentHint: method === 'PUT' || method === 'DELETE' }),
    openWorldHint: true,
  };
}

function argumentName(input: ParameterInput, taken: ReadonlySet<string>): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_.-]+/g, '_').slice(0, 64) || 'arg';
  const first = ARGUMENT_PATTERN.test(input.binding.name) ? input.binding.name : clean(input.binding.name);
  if (!taken.has(first) && first !== 'body') return first;
  const second = clean(`${input.binding.in}_${input.binding.name}`);
  if (!taken.has(second)) return second;
  for (let i = 2; ; i++) if (!taken.has(`${second}_${i}`)) return `${second}_${i}`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
