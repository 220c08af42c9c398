import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../diagnostics.js';
import { escapePointerToken, unescapePointerToken } from '../json-pointer.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { didYouMean } from './did-you-mean.js';
import type { Locate } from './parse-config.js';
import type { GeneratorConfig } from './types.js';

/** Shipped with the package (`files` in package.json) so editors can complete and check the config too. */
export const CONFIG_SCHEMA_PATH = join(PACKAGE_ROOT, 'schema', 'openapi-to-mcp.config.schema.json');

type SchemaNode = { [key: string]: unknown };

let compiled: { schema: SchemaNode; validate: ValidateFunction } | undefined;

function validator(): { schema: SchemaNode; validate: ValidateFunction } {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as SchemaNode;
    // strict: a typo in our own schema fails at once instead of validating nothing; verbose: errors carry the bad value.
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
    compiled = { schema, validate: ajv.compile(schema) };
  }
  return compiled;
}

export type ValidatedConfig =
  | { readonly ok: true; readonly config: GeneratorConfig }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Checks a parsed configuration against the shipped JSON Schema (draft
 * 2020-12). Each violation becomes one CONFIG_INVALID diagnostic with the
 * JSON pointer of the bad key or value, its line and column, what is wrong
 * and how to fix it (an unknown key gets "did you mean").
 */
export function validateConfig(value: unknown, file: string, locate: Locate = () => undefined): ValidatedConfig {
  const { schema, validate } = validator();
  if (validate(value)) return { ok: true, config: value as GeneratorConfig };
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    // propertyNames reports the failing name twice: once as the inner error, once as itself.
    if (error.keyword === 'propertyNames') continue;
    const d = toDiagnostic(error, schema, file, locate);
    const id = `${d.pointer} ${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    diagnostics.push(d);
  }
  return { ok: false, diagnostics };
}

function toDiagnostic(error: ErrorObject, root: SchemaNode, file: string, locate: Locate): Diagnostic {
  const tokens = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointerToken);
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const node = schemaAt(root, tokens);
  const where = tokens.length === 0 ? 'the top level' : `\`${tokens.join('.')}\``;
  let atTokens = tokens;
  let onKey = false;
  let message: string;
  let hint: string | undefined;

  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    atTokens = [...tokens, key];
    onKey = true;
    const allowed = Object.keys((node?.properties as SchemaNode | undefined) ?? {});
    const guess = didYouMean(key, allowed);
    message = `Unknown key "${key}" in ${where}.`;
    hint = `${guess ? `Did you mean "${guess}"? ` : ''}Allowed keys here: ${allowed.join(', ')}.`;
  } else if (propertyName !== undefined) {
    atTokens = [...tokens, propertyName];
    onKey = true;
    const nameSchema = node?.propertyNames ? resolve(root, node.propertyNames as SchemaNode) : undefined;
    message = `The key "${propertyName}" in ${where} is not allowed: it ${error.message ?? 'is invalid'}.`;
    hint = description(nameSchema) ?? description(node);
  } else {
    const value: unknown = error.data;
    switch (error.keyword) {
      case 'type':
        message = `${capital(where)} must be ${article(String(error.params.type))}, not ${typeName(value)}.`;
        break;
      case 'enum': {
        const allowed = [...new Set((error.params.allowedValues as unknown[]).map((v) => String(v).toLowerCase()))];
        message = `${capital(where)} is ${JSON.stringify(value)}; it must be one of: ${allowed.join(', ')}.`;
        break;
      }
      case 'pattern':
        message = `${capital(where)} is ${JSON.stringify(value)}, which is not allowed here.`;
        break;
      case 'minItems':
      case 'minProperties':
      case 'minLength':
        message = `${capital(where)} must not be empty.`;
        hint = 'Remove it, or give it a value.';
        break;
      case 'uniqueItems':
        message = `${capital(where)} lists the same entry twice (items ${error.params.j} and ${error.params.i}).`;
        hint = 'Remove the duplicate.';
        break;
      default:
        message = `${capital(where)} ${error.message ?? 'is invalid'}.`;
    }
    // Items of a list carry no description of their own; the list's says what belongs in it.
    hint ??= description(node) ?? description(schemaAt(root, tokens.slice(0, -1)));
  }
  const at = locate(atTokens, onKey);
  return {
    code: 'CONFIG_INVALID',
    severity: 'error',
    message,
    file,
    pointer: atTokens.map((t) => '/' + escapePointerToken(t)).join(''),
    ...(at ? { line: at.line, column: at.column } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** The schema that applies at an instance location, following properties, additionalProperties, items and local $refs. */
function schemaAt(root: SchemaNode, tokens: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolve(root, root);
  for (const token of tokens) {
    if (!node) return undefined;
    const properties = node.properties as SchemaNode | undefined;
    const next: unknown =
      properties && Object.hasOwn(properties, token)
        ? properties[token]
        : /^\d+$/.test(token) && node.items
          ? node.items
          : node.additionalProperties;
    node = typeof next === 'object' && next !== null ? resolve(root, next as SchemaNode) : undefined;
  }
  return node;
}

/** Merges a node with its `$ref` target (our schema only uses `#/$defs/...`); the node's own keywords win. */
function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return node;
  const target = (root.$defs as SchemaNode)[ref.slice('#/$defs/'.length)] as SchemaNode;
  const { $ref: _ignored, ...own } = node;
  return { ...resolve(root, target), ...own };
}

function description(node: SchemaNode | undefined): string | undefined {
  return typeof node?.description === 'string' ? node.description : undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
