import type {
  HttpBinding,
  ParameterBinding,
  ParameterLocation,
  ParameterStyle,
} from '../../../templates/runtime/mcp/types.js';
import { serializeParameters } from '../../../templates/runtime/http/serialize-parameters.js';
import { UpstreamError } from '../../../templates/runtime/http/upstream-error.js';

/** A parameter named `color`, bound to the argument `color`, as in the spec's style examples. */
export function param(
  location: ParameterLocation,
  style: ParameterStyle,
  explode: boolean,
  extra: Partial<ParameterBinding> = {},
): ParameterBinding {
  return { name: 'color', argument: 'color', in: location, style, explode, required: location === 'path', ...extra };
}

export function binding(parameters: ParameterBinding[], path = '/x/{color}'): HttpBinding {
  return { method: 'GET', path, parameters };
}

/**
 * What one parameter contributes to its location. Path values follow a
 * literal `v` so that the table's bare `.` does not form a dot segment.
 */
export function serializeOne(p: ParameterBinding, value: unknown): string {
  const path = p.in === 'path' ? '/x/v{color}' : '/x';
  const out = serializeParameters(binding([p], path), { color: value });
  if (p.in === 'path') return out.path.slice('/x/v'.length);
  if (p.in === 'query') return out.query;
  if (p.in === 'header') return out.headers['color'] ?? '<none>';
  return out.cookies;
}

/** `code: message` of the UpstreamError thrown by `run`, or `undefined`. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return undefined;
}
