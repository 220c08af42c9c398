import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rmSync, symlinkSync } from 'node:fs';
import { CACHE, runCliAsync, runInProjectAsync, SPECS, sharedDependencies } from '../support/generated-project.js';

/** The two multi-file specs are folders; their roots are named in ../shared/specs/README.md. */
const MULTI_FILE_ROOTS: Record<string, string> = {
  'digitalocean-public': 'digitalocean-public/DigitalOcean-public.v2.yaml',
  'oai-petstore-separate': 'oai-petstore-separate/spec/swagger.yaml',
};

export function corpusSpecs(): { name: string; path: string }[] {
  return readdirSync(SPECS)
    .filter((f) => /\.(ya?ml|json)$/.test(f) || statSync(join(SPECS, f)).isDirectory())
    .map((f) => {
      const root = MULTI_FILE_ROOTS[f];
      return root ? { name: f, path: join(SPECS, root) } : { name: f, path: join(SPECS, f) };
    })
    .filter((s) => statSync(s.path).isFile())
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What each spec must give: the number of tools, or the code of the error that stops it. A spec
 * that stops generating, or gains or loses tools, fails here rather than passing as "exit 1".
 */
const EXPECTED: Readonly<Record<string, number | string>> = {
  'adyen-checkout.json': 28,
  'airflow-api.yaml': 89,
  'asana-api.yaml': 247,
  'atlassian-jira-platform.json': 468,
  'box-platform.json': 296,
  'digitalocean-public': 659,
  'discord-api.json': 242,
  'docusign-esignature.json': 'REF_UNRESOLVED',
  'figma-api.yaml': 47,
  'github-rest.json': 1223,
  'github-webhooks.json': 'NO_OPERATIONS',
  'google-drive.json': 50,
  'gotify-server.json': 42,
  'hubspot-crm-contacts.json': 16,
  'kubernetes-api.json': 1014,
  'mistral-api.yaml': 173,
  'netlify-api.yaml': 174,
  'oai-api-with-examples.yaml': 2,
  'oai-callback-example.yaml': 1,
  'oai-link-example.yaml': 6,
  'oai-non-oauth-scopes.yaml': 1,
  'oai-petstore-expanded-v2.json': 4,
  'oai-petstore-expanded.yaml': 4,
  'oai-petstore-separate': 4,
  'oai-petstore.yaml': 3,
  'oai-uber.json': 5,
  'oai-uspto.yaml': 3,
  'oai-webhook-example.yaml': 'NO_OPERATIONS',
  'okta-management.yaml': 732,
  'openai-api.yaml': 288,
  'outline-api.yaml': 113,
  'overseerr-api.yaml': 170,
  'pagerduty-rest.json': 465,
  'slack-web.json': 174,
  'spotify-web-api.yaml': 97,
  'stripe-api-v2.json': 350,
  'stripe-api.json': 417,
  'swagger-petstore-v3.yaml': 19,
  'twilio-api-v2010.json': 197,
  'twitter-api-v2.json': 80,
  'vimeo-api.yaml': 328,
  'xero-accounting.yaml': 235,
};

/**
 * Every real-world spec either becomes a project that type-checks and passes its own tests (the
 * generated CI runs `npm test`: it must be green on day one, issue 11), or stops with its expected
 * error and diagnostics: never a crash, never a stack trace.
 */
describe.concurrent('real-world specs', () => {
  it.each(corpusSpecs())(
    '$name gives its expected tools in a project that type-checks and passes its own tests, or its expected error',
    async ({ name, path }) => {
      const out = join(CACHE, 'corpus', name.replace(/\.(ya?ml|json)$/, ''));
      rmSync(out, { recursive: true, force: true });
      const result = await runCliAsync(['generate', path, '-o', out]);
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
      const expected = EXPECTED[name];
      expect(expected, `${name} has no expected outcome in EXPECTED`).toBeDefined();
      if (typeof expected === 'string') {
        expect(result.status, result.stderr.slice(-2000)).toBe(1);
        expect(result.stderr).toMatch(new RegExp(`^error ${expected}\\b`, 'm'));
        return;
      }
      expect(result.status, result.stderr.slice(-2000)).toBe(0);
      expect(result.stdout + result.stderr).toMatch(new RegExp(`: ${expected} tools?, \\d+ files`));
      symlinkSync(sharedDependencies(out), join(out, 'node_modules'), 'dir');
      // src/ and the generated tests alike, as the project's own `npm test` checks them.
      const tsc = await runInProjectAsync(out, 'tsc', ['-p', 'tsconfig.test.json']);
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
      const own = await runInProjectAsync(out, 'vitest', ['run']);
      expect(own.status, (own.stdout + own.stderr).slice(-3000)).toBe(0);
      expect(own.stdout).toMatch(/auth\.test\.ts/);
    },
    300_000,
  );
});
