import { isLoopback } from '../config/loopback.js';
import { fetchDiscoveryDocument, metadataUrls, type DocumentFetch } from '../http/discovery-document.js';
import { fetchFromAuthServer } from './fetch-from-auth-server.js';
import { AuthUnavailableError } from './principal.js';

/** What the resource server uses from the authorization server's metadata. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwksUri?: URL;
  readonly introspectionEndpoint?: URL;
  /** Where the document was found. */
  readonly source: URL;
}

export interface DiscoveryOptions {
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** Accept plain-http endpoints off loopback (OAUTH_DANGEROUSLY_ALLOW_INSECURE_HTTP). */
  readonly allowInsecureHttp?: boolean;
}

/**
 * Fetches the issuer's metadata once. A document whose `issuer` differs from
 * the configured one is refused, not skipped (RFC 8414 §3.3; OpenID Connect
 * Discovery §4.3: "MUST be identical"): it means a wrong OAUTH_ISSUER or a
 * substituted document. Transport failures stop the search at once. Every
 * failure is an `AuthUnavailableError` (fail closed).
 */
export async function discoverIssuerMetadata(issuer: string, options: DiscoveryOptions = {}): Promise<IssuerMetadata> {
  const bounds = { timeoutMs: options.timeoutMs ?? 5000, maxBytes: options.maxBytes ?? 256 * 1024 };
  const tried: string[] = [];
  const fetchMetadata: DocumentFetch = (url, init, b) =>
    fetchFromAuthServer('authorization server metadata', url, init, b);
  for (const url of metadataUrls(issuer)) {
    const answer = await fetchDiscoveryDocument(url, bounds, fetchMetadata);
    if (answer.kind !== 'document') {
      tried.push(`${url.href} (${answer.kind === 'status' ? answer.status : 'not a JSON object'})`);
      continue;
    }
    const { document } = answer;
    // RFC 8414 §3.3: "the data contained in the response MUST NOT be used" unless identical.
    if (document.issuer !== issuer) throw new AuthUnavailableError(issuerMismatch(issuer, document.issuer, url));
    return Object.freeze({
      issuer,
      source: url,
      ...endpoint(document, 'jwks_uri', 'jwksUri', url, options),
      ...endpoint(document, 'introspection_endpoint', 'introspectionEndpoint', url, options),
    });
  }
  throw new AuthUnavailableError(`no authorization server metadata for issuer "${issuer}"; tried ${tried.join(', ')}`);
}

/**
 * Says exactly what differs. When the document comes from the configured
 * issuer's own origin and names an issuer there (Auth0's trailing slash,
 * a realm path), the fix is to copy its value; a document naming another
 * origin may be substituted, so then nothing is suggested.
 */
function issuerMismatch(configured: string, stated: unknown, source: URL): string {
  const shown = typeof stated === 'string' ? JSON.stringify(stated.slice(0, 200)) : `no string (${typeof stated})`;
  const head = `issuer mismatch: OAUTH_ISSUER is "${configured}" but the metadata at ${source.href} says ${shown}; they must be identical (RFC 8414 §3.3)`;
  let sameOrigin = false;
  try {
    sameOrigin = typeof stated === 'string' && new URL(stated).origin === new URL(configured).origin;
  } catch {
    sameOrigin = false;
  }
  return sameOrigin
    ? `${head}: set OAUTH_ISSUER to ${shown}`
    : `${head}: check OAUTH_ISSUER (a document naming another origin is not trusted)`;
}

function endpoint<K extends string>(
  document: Record<string, unknown>,
  member: string,
  key: K,
  source: URL,
  options: DiscoveryOptions,
): Partial<Record<K, URL>> {
  const raw = document[member];
  if (raw === undefined) return {};
  let url: URL | undefined;
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  const secure =
    url?.protocol === 'https:' ||
    (url?.protocol === 'http:' && (isLoopback(url.hostname) || options.allowInsecureHttp));
  if (!url || !secure || url.username || url.password) {
    throw new AuthUnavailableError(
      `authorization server metadata at ${source.href}: ${member} is not a usable https URL`,
    );
  }
  return { [key]: url } as Partial<Record<K, URL>>;
}

/** Discovery done lazily, once, and retried after a failure at most once per `retryAfterMs`. */
export interface IssuerMetadataSource {
  get(): Promise<IssuerMetadata>;
}

export function createIssuerMetadataSource(
  issuer: string,
  options: DiscoveryOptions & { readonly retryAfterMs?: number } = {},
): IssuerMetadataSource {
  const retryAfterMs = options.retryAfterMs ?? 5000;
  let current: Promise<IssuerMetadata> | undefined;
  let failure: { at: number; message: string } | undefined;
  return {
    get() {
      if (current) return current;
      // Do not hammer an issuer that is down: one attempt per interval; the requests between fail at once.
      if (failure && Date.now() - failure.at < retryAfterMs) {
        return Promise.reject(new AuthUnavailableError(`${failure.message} (retrying shortly)`));
      }
      const attempt = discoverIssuerMetadata(issuer, options).catch((error: unknown) => {
        const unavailable =
          error instanceof AuthUnavailableError
            ? error
            : new AuthUnavailableError('authorization server metadata discovery failed');
        failure = { at: Date.now(), message: unavailable.message };
        current = undefined;
        throw unavailable;
      });
      current = attempt;
      return attempt;
    },
  };
}
