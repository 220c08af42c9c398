import { readInteger, type Env } from '../config/env-readers.js';

/** How MCP requests are served: paging and the bounds one request may not pass. */
export interface DispatchConfig {
  /** MCP_TOOLS_PAGE_SIZE: tools per `tools/list` page (pages also stop at 256 KiB). */
  readonly pageSize: number;
  /** MCP_MAX_BATCH: messages one 2025-03-26 JSON-RPC batch may hold (at most 100, the SDK's limit). */
  readonly maxBatch: number;
  /** MCP_MAX_CONCURRENT_CALLS: upstream calls of one MCP request running at once. */
  readonly maxConcurrentCalls: number;
}

/** Reads the dispatch settings once, at start-up. @throws {ConfigError} on a value out of range. */
export function loadDispatchConfig(env: Env): DispatchConfig {
  return Object.freeze({
    pageSize: readInteger(env, 'MCP_TOOLS_PAGE_SIZE'),
    maxBatch: readInteger(env, 'MCP_MAX_BATCH'),
    maxConcurrentCalls: readInteger(env, 'MCP_MAX_CONCURRENT_CALLS'),
  });
}
