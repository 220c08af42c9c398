/**
 * The contract between the generator and the runtime it ships.
 *
 * The generator emits `src/generated/*.gen.ts` as plain data typed by these
 * interfaces (`satisfies readonly ToolDefinition[]`); the runtime reads that
 * data and never sees OpenAPI. Anything the runtime needs to call the upstream
 * or to authorize a call must be representable here.
 */

/** A JSON Schema (2020-12) object, kept as data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/**
 * OpenAPI 3.1 §4.8.12.4 "Style Values".
 * @see https://spec.openapis.org/oas/v3.1.0#style-values
 */
export type ParameterStyle = 'matrix' | 'label' | 'simple' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

/** How one tool argument becomes one OpenAPI parameter on the wire. */
export interface ParameterBinding {
  /** The parameter's name on the wire (path template variable, query key, header or cookie name). */
  readonly name: string;
  /** The property of the tool's input object that carries the value. */
  readonly argument: string;
  readonly in: ParameterLocation;
  readonly style: ParameterStyle;
  readonly explode: boolean;
  readonly required: boolean;
  /** Query only: reserved characters (RFC 3986 §2.2) are sent without percent-encoding. */
  readonly allowReserved?: boolean;
  /** The parameter uses `content` instead of `schema`: the value is serialized as this media type (JSON). */
  readonly contentType?: string;
  /**
   * The only keys an object value may carry (sorted), when the parameter's
   * schema declares `properties` and does not open them (`additionalProperties`
   * or `patternProperties`). Absent: keys are free (still never a credential's name).
   */
  readonly properties?: readonly string[];
}

/** How a request body is encoded on the wire. */
export type BodyEncoding = 'json' | 'form' | 'multipart' | 'binary' | 'text';

export interface BodyBinding {
  /** The property of the tool's input object that carries the body. */
  readonly argument: string;
  /** The media type sent as `Content-Type` (for multipart the boundary is added at run time). */
  readonly mediaType: string;
  readonly encoding: BodyEncoding;
  readonly required: boolean;
}

/** Everything needed to turn validated tool arguments into one HTTP request. */
export interface HttpBinding {
  readonly method: HttpMethod;
  /** The path template relative to the upstream base URL, e.g. `/pets/{id}`. */
  readonly path: string;
  readonly parameters: readonly ParameterBinding[];
  readonly body?: BodyBinding;
  /** Media type preferred for the response (`Accept`), when the operation declares any. */
  readonly accept?: string;
}

/** One scheme inside a security requirement, with the scopes it demands. */
export interface SchemeRequirement {
  readonly scheme: string;
  readonly scopes: readonly string[];
}

/**
 * One alternative of an operation's `security`: ALL of its schemes must be
 * satisfied (AND). A tool's `security` is a list of alternatives (OR).
 * An empty list of alternatives means the operation is public.
 * @see https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 */
export type SecurityRequirement = readonly SchemeRequirement[];

export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface ToolDefinition {
  /** MCP tool name: `^[a-zA-Z0-9_.-]{1,64}$`, unique within the server. */
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  /** Always `type: "object"`. `$ref`s point into `#/$defs/<name>` of the shared schema table. */
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  readonly annotations: ToolAnnotations;
  readonly http: HttpBinding;
  /** Upstream: OR of ANDs, with the document default already applied; `[]` means public. */
  readonly security: readonly SecurityRequirement[];
  /** Inbound: who may call this tool through the MCP server. */
  readonly access: ToolAccess;
  readonly tags: readonly string[];
  /** JSON pointer of the operation in the source document. */
  readonly source: string;
}

/**
 * Who may call a tool (DESIGN.md §5). Computed by the generator from the
 * operation's `security` (oauth2 / openIdConnect scopes, after the config's
 * scope mapping) and from role rules (config `roles:`, `x-mcp-roles`).
 */
export interface ToolAccess {
  /**
   * MCP scopes as OR of AND: the caller must hold every scope of at least one
   * alternative (scope hierarchies applied). Each alternative is sorted and
   * the list is de-duplicated. `[[]]` means any authenticated caller; never empty.
   */
  readonly scopes: readonly (readonly string[])[];
  /** When present, the caller must hold at least one of these roles. Sorted. */
  readonly roles?: readonly string[];
}

/** Server-wide authorization data (the per-tool part is `ToolDefinition.access`). */
export interface AuthorizationDefinition {
  /** Every scope some tool needs, sorted: RFC 9728 `scopes_supported` (never `offline_access`). */
  readonly scopesSupported: readonly string[];
  /**
   * Scope hierarchy, transitively closed by the generator: a granted key also
   * grants every scope in its list (`pets:write` -> [`pets:read`]).
   */
  readonly scopeImplies: { readonly [scope: string]: readonly string[] };
  /** Claim path of the caller's roles when `OAUTH_ROLES_CLAIM` is unset (config `authorization.rolesClaim`). */
  readonly rolesClaim?: string;
  /** `filter`: `tools/list` shows each caller only the tools it may call (default); `all`: every tool. */
  readonly toolsList: 'filter' | 'all';
}

/** How the server obtains upstream credentials for one OpenAPI security scheme. */
export type SecuritySchemeDefinition =
  | {
      readonly type: 'apiKey';
      readonly in: 'header' | 'query' | 'cookie';
      readonly name: string;
      /** Environment variable holding the key. */
      readonly env: string;
    }
  | {
      readonly type: 'http';
      readonly scheme: string;
      /** For `bearer`: the token. For `basic`: `<env>_USERNAME` and `<env>_PASSWORD`. */
      readonly env: string;
    }
  | {
      readonly type: 'oauth2';
      readonly scopes: readonly string[];
      /** Client credentials flow token endpoint, when the scheme declares one. */
      readonly tokenUrl?: string;
      /** `<env>_ACCESS_TOKEN` (a static token) or `<env>_CLIENT_ID` / `<env>_CLIENT_SECRET`. */
      readonly env: string;
    }
  | {
      readonly type: 'openIdConnect';
      readonly openIdConnectUrl: string;
      /** `<env>_ACCESS_TOKEN`. */
      readonly env: string;
    };

export interface ServerDefinition {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  readonly description?: string;
  /** The spec's first server URL (absolute), used when `UPSTREAM_BASE_URL` is not set. */
  readonly defaultBaseUrl?: string;
  /** The transport when `MCP_TRANSPORT` is unset (config `transport.default`); `http` when absent. */
  readonly defaultTransport?: 'http' | 'stdio';
  /** The HTTP port when `PORT` is unset (config `transport.port`); 3000 when absent. */
  readonly defaultPort?: number;
  /** How `tools/list` carries output schemas (config `outputSchemas`); `shallow` when absent. */
  readonly outputSchemas?: OutputSchemaMode;
}

/**
 * What `tools/list` says of a tool's structured output. The server always
 * validates `structuredContent` against the whole schema it has; this only
 * decides what clients receive (listed-tool.ts).
 * - `full`: the whole schema, with every definition it reaches.
 * - `shallow`: the top level only (output-shape.ts), accepting everything
 *   the whole schema accepts.
 * - `none`: no `outputSchema`; results still carry `structuredContent`.
 */
export type OutputSchemaMode = 'full' | 'shallow' | 'none';

/** Everything a generated project hands the runtime: its data tables. */
export interface AppDefinition {
  readonly server: ServerDefinition;
  readonly tools: readonly ToolDefinition[];
  /** Shared JSON Schema definitions, referenced as `#/$defs/<name>` from tool schemas. */
  readonly defs: { readonly [name: string]: JsonSchema | boolean };
  /** Upstream credential sources, by OpenAPI security scheme name. */
  readonly schemes: { readonly [name: string]: SecuritySchemeDefinition };
  readonly authorization: AuthorizationDefinition;
  /**
   * `static` (default when absent): `tools/list` is the whole catalogue.
   * `dynamic`: it is three meta-tools (search, describe, call) over the
   * catalogue, for APIs too large to list (`generate --tool-mode`, `MCP_TOOL_MODE`).
   */
  readonly toolMode?: ToolMode;
}

export type ToolMode = 'static' | 'dynamic';
