import { ConfigError } from '../config/config-error.js';
import { DEFAULT_MAX_CONCURRENT_CALLS } from './create-server.js';
import { MAX_BATCH } from './http-gate.js';
import { DEFAULT_TOOLS_PAGE_SIZE } from './tool-list-pages.js';

/** How MCP requests are served: paging and the bounds one request may not pass. */
export interface DispatchConfig {
  /** MCP_TOOLS_PAGE_SIZE: tools per `tools/list` page (pages also stop at 256 KiB). */
  readonly pageSize: number;
  /** MCP_MAX_BATCH: messages one 2025-03-26 JSON-RPC batch may hold (at most 100, the SDK's limit). */
  readonly maxBatch: number;
  /** MCP_MAX_CONCURRENT_CALLS: upstream calls of one MCP request running at once. */
  readonly maxConcurrentCalls: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the dispatch settings once, at start-up. @throws {ConfigError} on a value out of range. */
export function loadDispatchConfig(env: Env): DispatchConfig {
  return Object.freeze({
    pageSize: integer(env, 'MCP_TOOLS_PAGE_SIZE', DEFAULT_TOOLS_PAGE_SIZE, 1, 1000),
    maxBatch: integer(env, 'MCP_MAX_BATCH', MAX_BATCH, 1, MAX_BATCH),
    maxConcurrentCalls: integer(env, 'MCP_MAX_CONCURRENT_CALLS', DEFAULT_MAX_CONCURRENT_CALLS, 1, 100),
  });
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || value < min || value > max)
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; it is "${raw}".`);
  return value;
}
