export {
  callUpstream,
  defaultUpstreamClient,
  parseBaseUrl,
  resolveRequestUrl,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type UpstreamOptions,
} from './call-upstream.js';
export { encodeBody, type EncodedBody } from './encode-body.js';
export { FILE_PART_SCHEMA, isFilePart, type FilePart } from './file-part.js';
export {
  createSecretRedactor,
  MAX_RECENT_TOKENS,
  MIN_SECRET_LENGTH,
  REDACTED,
  redactingLog,
  redactToolResult,
  type SecretRedactor,
} from './secret-redactor.js';
export { serializeParameters, type ReservedNames, type SerializedParameters } from './serialize-parameters.js';
export { shapeResponse, MAX_ERROR_BODY_CHARS, MAX_INLINE_BINARY_BYTES } from './shape-response.js';
export { errorResult, textResult, type ToolContent, type ToolResult } from './tool-result.js';
export {
  createKeepAliveClient,
  fetchClient,
  type KeepAliveClient,
  type KeepAliveClientOptions,
  type UpstreamClient,
  type UpstreamReply,
  type UpstreamRequest,
} from './upstream-client.js';
export {
  createUpstreamAuth,
  DEFAULT_MAX_CACHED_TOKENS,
  DEFAULT_TOKEN_MAX_BYTES,
  DEFAULT_TOKEN_TIMEOUT_MS,
  type AcquiredToken,
  type UpstreamAuth,
  type UpstreamAuthOptions,
  type UpstreamCallContext,
  type UpstreamTokenFlow,
} from './upstream-auth.js';
export {
  credentialSecrets,
  resolveUpstreamCredentials,
  type CredentialContext,
  type CredentialEnv,
  type CredentialResolution,
  type UpstreamCredentials,
} from './upstream-credentials.js';
export { UpstreamError, type UpstreamErrorCode } from './upstream-error.js';
export { upstreamRedactor } from './upstream-redactor.js';
