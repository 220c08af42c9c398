import type {
  JsonSchema,
  ParameterBinding,
  ParameterLocation,
  ParameterStyle,
} from '../../templates/runtime/mcp/types.js';
import { isIgnoredHeader } from '../../templates/runtime/http/ignored-headers.js';
import { localDefName } from '../../templates/runtime/mcp/local-defs.js';
import type { Diagnostic } from '../diagnostics.js';
import { isObject } from './json-schema.js';
import { resolveObject } from './refs.js';
import type { ModelContext, OperationSite } from './model-context.js';
import type { Reported } from './reported.js';
import { reported } from './reported.js';
import type { SchemaRegistry } from './schema-registry.js';
import { parameterDescription } from './trim.js';

const LOCATIONS: readonly ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
/** Default style per location, OpenAPI 3.1 §4.8.12.4. */
const DEFAULT_STYLE: Record<ParameterLocation, ParameterStyle> = {
  path: 'simple',
  query: 'form',
  header: 'simple',
  cookie: 'form',
};

export interface ParameterInput {
  readonly binding: ParameterBinding;
  readonly schema: JsonSchema | boolean;
  readonly refs: ReadonlySet<string>;
}

/**
 * Path-level and operation-level parameters merged (the operation's win, by
 * name and location: OpenAPI 3.1 §4.8.9.1), each turned into a binding and
 * the JSON Schema of its argument. Argument names are assigned later, once
 * all inputs of the operation are known.
 */
export function collectParameters(ctx: ModelContext, site: OperationSite): Reported<ParameterInput[]> {
  const { document, registry } = ctx;
  const { pathItem, pathPointer, operation, operationPointer } = site;
  const diagnostics: Diagnostic[] = [];
  const merged = new Map<string, { value: Record<string, unknown>; pointer: string }>();
  const add = (list: unknown, base: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      const resolved = resolveObject(document, raw, `${base}/parameters/${i}`);
      if (!resolved) return;
      const { name, in: location } = resolved.value;
      if (typeof name !== 'string' || typeof location !== 'string') return;
      merged.set(`${location}:${name}`, resolved);
    });
  };
  add(pathItem.parameters, pathPointer);
  add(operation.parameters, operationPointer);

  const inputs: ParameterInput[] = [];
  for (const { value, pointer } of merged.values()) {
    const location = value.in as ParameterLocation;
    const name = value.name as string;
    if (!LOCATIONS.includes(location)) {
      diagnostics.push({
        code: 'PARAMETER_UNSUPPORTED',
        severity: 'warning',
        message: `Parameter "${name}" is in "${String(value.in)}", which OpenAPI 3 does not define; it is left out.`,
        pointer,
      });
      continue;
    }
    if (location === 'header' && isIgnoredHeader(name)) continue;
    inputs.push(toInput(value, location, name, registry));
  }
  return reported(inputs, diagnostics);
}

function toInput(
  value: Record<string, unknown>,
  location: ParameterLocation,
  name: string,
  registry: SchemaRegistry,
): ParameterInput {
  let rawSchema: unknown = value.schema;
  let contentType: string | undefined;
  if (rawSchema === undefined && isObject(value.content)) {
    // OpenAPI 3.1 §4.8.12.1: `content` holds exactly one media type.
    const [mediaType, media] = Object.entries(value.content)[0] ?? [];
    if (mediaType !== undefined && isObject(media)) {
      rawSchema = media.schema;
      contentType = mediaType;
    }
  }
  const { schema, refs } = registry.convert(rawSchema ?? { type: 'string' });
  const described = describe(schema, value, (name) => registry.def(name).schema);
  const required = location === 'path' ? true : value.required === true;
  const binding: ParameterBinding = {
    name,
    argument: name,
    in: location,
    style: (typeof value.style === 'string' ? value.style : DEFAULT_STYLE[location]) as ParameterStyle,
    explode: typeof value.explode === 'boolean' ? value.explode : (value.style ?? DEFAULT_STYLE[location]) === 'form',
    required,
    ...(location === 'query' && value.allowReserved === true ? { allowReserved: true } : {}),
    ...(contentType ? { contentType } : {}),
  };
  const properties =
    contentType === undefined ? closedProperties(schema, (name) => registry.def(name).schema) : undefined;
  return { binding: properties ? { ...binding, properties } : binding, schema: described, refs };
}

/** Carries the parameter's own description and deprecation onto its argument schema. */
function describe(
  schema: JsonSchema | boolean,
  parameter: Record<string, unknown>,
  defs: (name: string) => JsonSchema | boolean | undefined,
): JsonSchema | boolean {
  if (typeof schema === 'boolean') return schema;
  const extra: Record<string, unknown> = {};
  const description = parameterDescription(
    typeof parameter.description === 'string' ? parameter.description.trim() : '',
    schema,
    defs,
  );
  if (description !== undefined) extra.description = description;
  if (parameter.deprecated === true) extra.deprecated = true;
  return Object.keys(extra).length === 0 ? schema : { ...schema, ...extra };
}

/**
 * The property names an object value of `schema` may carry, sorted, when the
 * schema declares `properties` (through `$ref`, `allOf`, `anyOf`, `oneOf`)
 * and none of its parts opens them with `additionalProperties` (other than
 * `false`) or `patternProperties`. The runtime refuses other keys: exploded,
 * each would be a query parameter or cookie the spec never defined.
 * `[]` for `additionalProperties: false` without properties. `undefined` when
 * the keys are free or the schema is not an object.
 */
export function closedProperties(
  schema: JsonSchema | boolean,
  defs: (name: string) => JsonSchema | boolean | undefined,
): string[] | undefined {
  const names = new Set<string>();
  let open = false;
  let closed = false;
  const seen = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (!isObject(node) || depth > 16) return;
    const name = localDefName(node.$ref);
    if (name !== undefined) {
      if (!seen.has(name)) {
        seen.add(name);
        visit(defs(name), depth + 1);
      }
    }
    if (isObject(node.properties)) for (const key of Object.keys(node.properties)) names.add(key);
    if (
      (node.additionalProperties !== undefined && node.additionalProperties !== false) ||
      node.patternProperties !== undefined
    )
      open = true;
    if (node.additionalProperties === false) closed = true;
    for (const list of [node.allOf, node.anyOf, node.oneOf]) {
      if (Array.isArray(list)) for (const part of list) visit(part, depth + 1);
    }
    // An alternative that is a free-form object admits any key, whatever the others declare.
    for (const list of [node.anyOf, node.oneOf]) {
      if (Array.isArray(list) && list.some((part) => isFreeObject(resolveDef(part, defs)))) open = true;
    }
  };
  visit(schema, 0);
  // `additionalProperties: false` alone admits no key at all.
  return open || (names.size === 0 && !closed) ? undefined : [...names].sort();
}

function resolveDef(node: unknown, defs: (name: string) => JsonSchema | boolean | undefined): unknown {
  const name = isObject(node) ? localDefName(node.$ref) : undefined;
  return name === undefined ? node : defs(name);
}

function isFreeObject(node: unknown): boolean {
  if (!isObject(node)) return false;
  const object = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
  return (
    object &&
    node.properties === undefined &&
    node.additionalProperties !== false &&
    node.allOf === undefined &&
    node.anyOf === undefined &&
    node.oneOf === undefined
  );
}
