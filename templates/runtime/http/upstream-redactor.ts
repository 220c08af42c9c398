import { secretValues } from '../config/env-readers.js';
import type { SecuritySchemeDefinition } from '../mcp/types.js';
import { createSecretRedactor, type SecretRedactor } from './secret-redactor.js';
import { credentialSecrets, type CredentialEnv } from './upstream-credentials.js';

const byEnv = new WeakMap<CredentialEnv, SecretRedactor>();

/**
 * The redactor of the server started with `env`: the same object for every
 * caller given the same `env`, so the operator log (`server/main.ts`) and the
 * upstream caller (`createUpstreamAuth`, which adds tokens as it obtains them)
 * redact the same secrets without being wired to each other. Built on first
 * use with every secret `schemes` read from `env`, and every variable the
 * environment table marks secret (config/env-table.ts).
 */
export function upstreamRedactor(
  schemes: Readonly<Record<string, SecuritySchemeDefinition>>,
  env: CredentialEnv,
): SecretRedactor {
  let redactor = byEnv.get(env);
  if (redactor === undefined) {
    redactor = createSecretRedactor();
    byEnv.set(env, redactor);
  }
  // Idempotent: a secret already known is not added twice.
  for (const secret of [...credentialSecrets(schemes, env), ...secretValues(env)]) redactor.add(secret);
  return redactor;
}
