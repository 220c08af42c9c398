import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFromDocument } from '../../src/generate.js';
import { loadDocument } from '../../src/load/index.js';
import { REPO } from '../support/generated-project.js';

/** Every variable the runtime reads for an oauth2 / openIdConnect scheme (templates/runtime/http/upstream-auth.ts). */
const OAUTH_SUFFIXES = [
  'ACCESS_TOKEN',
  'CLIENT_ID',
  'CLIENT_SECRET',
  'TOKEN_URL',
  'SCOPES',
  'AUDIENCE',
  'RESOURCE',
  'TOKEN_EXCHANGE',
];

describe('upstream credential documentation of a generated project', async () => {
  const loaded = await loadDocument(join(REPO, 'fixtures/security-requirements.yaml'));
  const { files } = await generateFromDocument(loaded, { specLabel: 'security-requirements.yaml' });
  const file = (path: string) => files.find((f) => f.path === path)?.content ?? '';

  it.each(['UPSTREAM_OAUTH', 'UPSTREAM_OIDC'])(
    'names every OAuth variable of %s in .env.example and the README',
    (prefix) => {
      for (const suffix of OAUTH_SUFFIXES) {
        expect(file('.env.example')).toContain(`${prefix}_${suffix}=`);
        expect(file('README.md')).toContain(`\`${prefix}_${suffix}\``);
      }
    },
  );

  it('leaves client credentials to fill in and comments out the optional settings', () => {
    const env = file('.env.example');
    expect(env).toMatch(/^UPSTREAM_OAUTH_CLIENT_ID=$/m);
    expect(env).toMatch(/^UPSTREAM_OAUTH_CLIENT_SECRET=$/m);
    expect(env).toMatch(/^# UPSTREAM_OAUTH_ACCESS_TOKEN= +# a static access token/m);
    expect(env).toMatch(/^# UPSTREAM_OAUTH_TOKEN_EXCHANGE= +# `true`: exchange the caller's OAuth token/m);
  });

  it('explains that token exchange never forwards the caller token to the API', () => {
    expect(file('README.md')).toContain("The caller's token goes to that token endpoint only, never to");
  });
});
