import type {
  AuthorizationDefinition,
  JsonSchema,
  SecuritySchemeDefinition,
  ServerDefinition,
  ToolDefinition,
} from '../../templates/runtime/mcp/types.js';
import type { Diagnostic } from '../diagnostics.js';

/** One OpenAPI operation as an MCP tool: the runtime's `ToolDefinition` plus what only the generator needs. */
export interface ToolModel extends ToolDefinition {
  readonly operationId?: string;
  /** Names of the shared `$defs` this tool's schemas reference (transitively), sorted: picks the table's entries. */
  readonly defs: readonly string[];
  /** Where `security` came from: the operation, the document default, or nowhere (public). */
  readonly securitySource: 'operation' | 'document' | 'none';
}

/** A security scheme as declared, and how (if at all) the server gets upstream credentials for it. */
export interface SecuritySchemeModel {
  readonly name: string;
  readonly source: string;
  /** The OpenAPI type (`apiKey`, `http`, `oauth2`, `openIdConnect`, `mutualTLS`). */
  readonly type: string;
  /** All scopes the scheme declares (oauth2: union over flows). */
  readonly scopes: readonly string[];
  /** How the runtime obtains credentials; absent when it cannot. */
  readonly upstream?: SecuritySchemeDefinition;
}

export interface McpModel {
  readonly server: ServerDefinition;
  /** Sorted by name. */
  readonly tools: readonly ToolModel[];
  /** Shared `$defs` used by the tools, keyed by name (sorted). */
  readonly defs: Readonly<Record<string, JsonSchema | boolean>>;
  readonly schemes: readonly SecuritySchemeModel[];
  readonly authorization: AuthorizationDefinition;
  readonly diagnostics: readonly Diagnostic[];
}
