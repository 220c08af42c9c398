/**
 * The user's policy hook (`src/policy.ts` in a generated project, created
 * once and never overwritten). It runs after scopes and roles have allowed a
 * call, so it can only narrow access, never widen it.
 */

/** Everything known about one tool call when the policy is asked. */
export interface PolicyRequest {
  /** `sub` of the token, the API key's subject, or `stdio` / `anonymous`. */
  readonly subject: string;
  /** OAuth client (`client_id` or `azp`), when the token names one. */
  readonly clientId?: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  /** The token's claims (never the token itself). Empty for API keys and stdio. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly tool: {
    readonly name: string;
    readonly method: string;
    readonly path: string;
    readonly tags: readonly string[];
  };
  /** The tool arguments as the client sent them (not yet validated against the input schema). */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The peer address of the HTTP connection; absent over stdio. */
  readonly remoteAddress?: string;
  readonly time: Date;
  readonly transport: 'http' | 'stdio';
}

export type PolicyDecision = { readonly allow: true } | { readonly allow: false; readonly reason: string };

export type Policy = (request: PolicyRequest) => PolicyDecision | Promise<PolicyDecision>;
