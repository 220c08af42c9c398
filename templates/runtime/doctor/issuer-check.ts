import type { OAuthSettings } from '../auth/auth-config.js';
import { discoverForCheck, discoveryNeeded, missingIntrospectionEndpoint } from '../auth/issuer-checks.js';
import type { IssuerMetadata } from '../auth/issuer-metadata.js';
import { fetchDiscoveryDocument } from '../http/discovery-document.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';

export interface IssuerCheckResult {
  readonly checks: readonly DoctorCheck[];
  readonly metadata?: IssuerMetadata;
}

/**
 * Issuer discovery exactly as the verifier does it (`discoverIssuerMetadata`:
 * RFC 8414 §3.1, then OpenID Connect Discovery, exact issuer match per
 * RFC 8414 §3.3, so Auth0's trailing slash is named with its fix), then what
 * MCP clients need from the same document: PKCE with S256 and, for clients
 * that register themselves, a registration endpoint (MCP authorization
 * 2025-11-25, "Authorization Code Protection" and "Dynamic Client
 * Registration"). A failure blocks when the verifier needs the metadata for
 * its keys; with OAUTH_JWKS_URI or OAUTH_PUBLIC_KEY only clients suffer, so it warns.
 */
export async function checkIssuer(settings: OAuthSettings, timeoutMs: number): Promise<IssuerCheckResult> {
  const needed = discoveryNeeded(settings);
  const discovered = await discoverForCheck(settings, timeoutMs);
  if ('cause' in discovered) {
    const consequence = needed
      ? 'every authenticated request is answered 503 until this works'
      : 'MCP clients that discover the authorization server from the protected resource metadata will fail';
    return { checks: [(needed ? fail : warn)('issuer-metadata', `${discovered.cause}; ${consequence}`)] };
  }
  const { metadata } = discovered;
  const checks: DoctorCheck[] = [
    ok('issuer-metadata', `issuer "${settings.issuer}" matches its metadata at ${metadata.source.href}`),
  ];
  const noIntrospection = missingIntrospectionEndpoint(settings, metadata);
  if (noIntrospection) checks.push(fail('introspection', `${noIntrospection}: set OAUTH_INTROSPECTION_URL`));
  checks.push(...(await clientFeatures(metadata.source, timeoutMs)));
  return { checks, metadata };
}

/** What an MCP client looks for in the metadata document; only warnings, since the resource server itself does not need them. */
async function clientFeatures(source: URL, timeoutMs: number): Promise<DoctorCheck[]> {
  let document: Record<string, unknown> | undefined;
  try {
    const answer = await fetchDiscoveryDocument(source, { timeoutMs, maxBytes: 256 * 1024 });
    document = answer.kind === 'document' ? answer.document : undefined;
  } catch {
    document = undefined;
  }
  if (!document)
    return [warn('authorization-server-clients', `the metadata at ${source.href} could not be read a second time`)];
  const methods = Array.isArray(document.code_challenge_methods_supported)
    ? document.code_challenge_methods_supported
    : [];
  const pkce = methods.includes('S256')
    ? ok('authorization-server-pkce', 'the authorization server advertises PKCE with S256')
    : // MCP authorization 2025-11-25: clients MUST refuse to proceed when code_challenge_methods_supported is absent.
      warn(
        'authorization-server-pkce',
        'the metadata does not list S256 in code_challenge_methods_supported: MCP clients refuse such an authorization server; enable PKCE (S256) there',
      );
  const registration =
    typeof document.registration_endpoint === 'string'
      ? ok(
          'authorization-server-registration',
          'the authorization server offers dynamic client registration (RFC 7591)',
        )
      : warn(
          'authorization-server-registration',
          'the metadata has no registration_endpoint: MCP clients cannot register themselves; pre-register a client for each MCP client and give them its client id',
        );
  return [pkce, registration];
}
