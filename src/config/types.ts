/**
 * The user's generator configuration (`openapi-to-mcp.config.json|yaml|yml`
 * beside the spec, or `--config`), after validation. The JSON Schema that
 * validates the file ships in `schema/openapi-to-mcp.config.schema.json`.
 * Every field is optional; an absent file means `{}`.
 */

/** Matches operations. Within one selector the fields are OR-ed: an operation matching any entry matches. */
export interface OperationSelector {
  /** Tag names (exact). */
  readonly tags?: readonly string[];
  /** operationIds (exact). */
  readonly operationIds?: readonly string[];
  /** Path globs on the OpenAPI path template: `*` is one segment, `**` any number (`/admin/**`). */
  readonly paths?: readonly string[];
  /** HTTP methods, upper or lower case. */
  readonly methods?: readonly string[];
  /** Tool names or globs on the final tool name (`*` any run of characters). */
  readonly tools?: readonly string[];
}

/** Per-operation overrides, keyed by operationId or `METHOD /path` (e.g. `GET /pets/{id}`). */
export interface ToolOverride {
  readonly name?: string;
  readonly description?: string;
  readonly title?: string;
  readonly exclude?: boolean;
  /** Roles that may call this tool (added to those from `roles:` and `x-mcp-roles`). */
  readonly roles?: readonly string[];
  /** Replaces the MCP scopes this tool needs: OR of AND, like OpenAPI `security`. */
  readonly scopes?: readonly (readonly string[])[];
}

/** How OpenAPI scopes become the MCP scopes a tool needs (DESIGN.md §5 "Scope mapping"). */
export interface ScopeMapping {
  /** OpenAPI scope -> MCP scope. Two scopes renamed to one merge them. Applied before `prefix`. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Prepended to every mapped scope (`api:` turns `pets.read` into `api:pets.read`); not to `default`. */
  readonly prefix?: string;
  /** The scope an alternative with no OAuth scopes (apiKey, http, public) needs instead of none. */
  readonly default?: string;
  /** Hierarchy on MCP scopes (after rename/prefix): `pets:write: [pets:read]` means holding write grants read. */
  readonly implies?: Readonly<Record<string, readonly string[]>>;
}

/** A role and what it grants. A tool granted by at least one role may only be called by holders of one of them. */
export interface RoleGrant extends OperationSelector {}

export interface GeneratorConfig {
  /** When present, only matching operations become tools. */
  readonly include?: OperationSelector;
  /** Matching operations do not become tools (applied after `include`). */
  readonly exclude?: OperationSelector;
  readonly tools?: Readonly<Record<string, ToolOverride>>;
  readonly scopes?: ScopeMapping;
  readonly roles?: Readonly<Record<string, RoleGrant>>;
  readonly authorization?: {
    /** Default claim path of roles (overridable by OAUTH_ROLES_CLAIM at run time). */
    readonly rolesClaim?: string;
    /** `filter` (default): tools/list shows only callable tools; `all`: every tool. */
    readonly toolsList?: 'filter' | 'all';
  };
  readonly server?: { readonly name?: string; readonly version?: string; readonly title?: string };
  /** Defaults of the generated server's transport; MCP_TRANSPORT and PORT still win at run time. */
  readonly transport?: { readonly default?: 'http' | 'stdio'; readonly port?: number };
  /** `static` (default) or `dynamic` (meta-tools for large APIs); `--tool-mode` wins. */
  readonly toolMode?: 'static' | 'dynamic';
  /** What `tools/list` carries of output schemas: `shallow` (default), `full` or `none` (templates/runtime/mcp/types.ts `OutputSchemaMode`). */
  readonly outputSchemas?: 'shallow' | 'full' | 'none';
  /**
   * Where the generated CI workflow runs: `root` is the repository root, relative to this file's
   * folder, when the project is a subfolder of it (`--ci-root` wins).
   */
  readonly ci?: { readonly root?: string };
  /** The JSON Schema of the file, for editors; ignored by the generator. */
  readonly $schema?: string;
}
