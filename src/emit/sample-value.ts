import { localDefName } from '../../templates/runtime/mcp/local-defs.js';
import type { JsonSchema } from '../../templates/runtime/mcp/types.js';

type Defs = Readonly<Record<string, JsonSchema | boolean>>;

export interface Sample {
  readonly value: unknown;
  /** False when the schema uses something the sampler cannot promise to satisfy (patterns, `not`, unions of objects ...). */
  readonly certain: boolean;
}

const FORMATS: Record<string, string> = {
  'date-time': '2024-01-02T03:04:05Z',
  date: '2024-01-02',
  time: '03:04:05Z',
  email: 'user@example.com',
  uri: 'https://example.com/x',
  url: 'https://example.com/x',
  'uri-reference': '/x',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
  byte: 'c2FtcGxl',
};

/** A value that satisfies a JSON Schema, for generated tests: small, deterministic, and honest about its confidence. */
export function sampleValue(schema: JsonSchema | boolean | undefined, defs: Defs, depth = 0): Sample {
  if (schema === undefined || schema === true) return { value: 'sample', certain: true };
  if (schema === false || depth > 8) return { value: null, certain: false };
  if (typeof schema.$ref === 'string') {
    const name = localDefName(schema.$ref);
    return sampleValue(name === undefined ? undefined : defs[name], defs, depth + 1);
  }
  if ('const' in schema) return { value: schema.const, certain: true };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { value: schema.enum[0], certain: true };
  if (schema.default !== undefined) return { value: schema.default, certain: false };
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const pick = options.find((o) => typeof o === 'object' && o.type !== 'null') ?? options[0];
      const inner = sampleValue(pick as JsonSchema, defs, depth + 1);
      return { value: inner.value, certain: inner.certain && key === 'anyOf' };
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Record<string, unknown> = {};
    let certain = true;
    for (const part of schema.allOf) {
      const inner = sampleValue(part as JsonSchema, defs, depth + 1);
      certain &&= inner.certain;
      if (inner.value && typeof inner.value === 'object' && !Array.isArray(inner.value))
        Object.assign(merged, inner.value);
      else certain = false;
    }
    return { value: merged, certain };
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const uncertain = schema.pattern !== undefined || schema.not !== undefined || schema.multipleOf !== undefined;
  switch (type) {
    case 'integer':
    case 'number': {
      const min =
        typeof schema.minimum === 'number'
          ? schema.minimum
          : typeof schema.exclusiveMinimum === 'number'
            ? schema.exclusiveMinimum + 1
            : 1;
      return { value: Math.ceil(min), certain: !uncertain };
    }
    case 'boolean':
      return { value: true, certain: true };
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const item = sampleValue(schema.items as JsonSchema | undefined, defs, depth + 1);
      return {
        value: Array.from({ length: Math.max(1, min) }, () => item.value),
        certain: item.certain && !uncertain && schema.uniqueItems !== true,
      };
    }
    case 'object':
      return sampleObject(schema, defs, depth);
    case 'string': {
      const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
      let value = format ?? 'sample';
      if (typeof schema.minLength === 'number' && value.length < schema.minLength)
        value = value.padEnd(schema.minLength, 'x');
      if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
        value = value.slice(0, schema.maxLength);
      return {
        value,
        certain:
          !uncertain &&
          (schema.format === undefined ||
            format !== undefined ||
            ['binary', 'password', 'int32', 'int64'].includes(String(schema.format))),
      };
    }
    default:
      return schema.properties
        ? sampleObject(schema, defs, depth)
        : {
            value: 'sample',
            certain: type === undefined && Object.keys(schema).every((k) => ['description', 'title'].includes(k)),
          };
  }
}

function sampleObject(schema: JsonSchema, defs: Defs, depth: number): Sample {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema | boolean>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const value: Record<string, unknown> = {};
  let certain = schema.patternProperties === undefined && schema.minProperties === undefined;
  for (const name of required) {
    const inner = sampleValue(properties[name], defs, depth + 1);
    certain &&= inner.certain && name in properties;
    value[name] = inner.value;
  }
  return { value, certain };
}
