/** Types of scripts/local-registry.js (plain JavaScript, so the demo runs on Node 20 without a build). */

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The tarball it serves. */
  readonly tarball: string;
  /** `{ 'npm_config_@openapi-to-mcp:registry': url }`: merge into the environment of npm. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export function packCheckout(options?: { repo?: string; packDir?: string }): {
  tarball: string;
  temporary: string | undefined;
};

export function startLocalRegistry(options?: {
  repo?: string;
  tarball?: string;
  packDir?: string;
}): Promise<LocalRegistry>;
