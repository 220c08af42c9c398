import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../src/diagnostics.js';
import { REPO } from './support/generated-project.js';

describe('README.md', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

  it.each(Object.keys(DIAGNOSTIC_CODES))('documents the diagnostic code %s', (code) => {
    expect(readme).toContain(`| \`${code}\` |`);
  });

  it('gives the two set-up commands that CI runs', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    expect(readFileSync(join(REPO, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
