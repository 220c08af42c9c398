import { isObject } from './json-schema.js';
import type { Reported } from './reported.js';
import { reported } from './reported.js';

/**
 * The default upstream base URL: the first server, with its variables set to
 * their defaults (OpenAPI 3.1 §4.8.5). A relative URL cannot be used without
 * knowing where the document was served from, so the user must configure it.
 */
export function defaultBaseUrl(document: Record<string, unknown>): Reported<string | undefined> {
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const first = servers[0];
  if (!isObject(first) || typeof first.url !== 'string') {
    return reported(undefined, [
      {
        code: 'SERVER_URL_RELATIVE',
        severity: 'warning',
        message: 'The document declares no server URL.',
        pointer: '/servers',
        hint: 'Set UPSTREAM_BASE_URL when running the generated server.',
      },
    ]);
  }
  const variables = isObject(first.variables) ? first.variables : {};
  const url = first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
  if (!/^https?:\/\/[^{}\s]+$/i.test(url)) {
    return reported(undefined, [
      {
        code: 'SERVER_URL_RELATIVE',
        severity: 'warning',
        message: `The first server URL "${first.url}" is not an absolute http(s) URL.`,
        pointer: '/servers/0/url',
        hint: 'Set UPSTREAM_BASE_URL when running the generated server.',
      },
    ]);
  }
  return reported(url.replace(/\/+$/, ''));
}
