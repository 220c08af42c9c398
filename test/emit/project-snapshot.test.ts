import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFromDocument } from '../../src/generate.js';
import { loadDocument } from '../../src/load/index.js';
import { REPO } from '../support/generated-project.js';

const SPEC = join(REPO, 'fixtures/petstore-3.1.yaml');

async function generateFixture() {
  const loaded = await loadDocument(SPEC);
  return generateFromDocument(loaded, { specLabel: 'fixtures/petstore-3.1.yaml' });
}

describe('the generated project for fixtures/petstore-3.1.yaml', async () => {
  const result = await generateFixture();
  const own = result.files.filter((f) => !f.path.startsWith('src/runtime/'));

  it('has no error diagnostics', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('lays out the project as DESIGN.md section 4 says', () => {
    expect(result.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        '.dockerignore',
        '.github/workflows/openapi-to-mcp.yml',
        '.env.example',
        '.gitattributes',
        '.gitignore',
        'Dockerfile',
        'README.md',
        'package.json',
        'src/generated/schemas.gen.ts',
        'src/generated/security.gen.ts',
        'src/generated/server.gen.ts',
        'src/generated/tools.gen.ts',
        'src/generated/tools/createPet.gen.ts',
        'src/generated/tools/deletePet.gen.ts',
        'src/generated/tools/listOwnerPets.gen.ts',
        'src/index.ts',
        'src/policy.ts',
        'src/server.ts',
        'test/cases.gen.ts',
        'test/server.test.ts',
        'tsconfig.json',
      ]),
    );
  });

  // One file snapshot per generated file (the runtime is compared with its source below instead).
  it.each(own.map((f) => [f.path, f] as const))('%s matches its snapshot', async (path, file) => {
    await expect(file.content).toMatchFileSnapshot(join('__snapshots__', 'petstore-3.1', `${path}.snap`));
  });

  it('copies the runtime byte for byte from templates/runtime', () => {
    const runtime = result.files.filter((f) => f.path.startsWith('src/runtime/'));
    expect(runtime.length).toBeGreaterThan(5);
    for (const file of runtime) {
      expect(file.content, file.path).toBe(
        readFileSync(join(REPO, 'templates/runtime', file.path.slice('src/runtime/'.length)), 'utf8'),
      );
    }
  });

  it('is the same bytes when generated again', async () => {
    const again = await generateFixture();
    expect(again.files).toEqual(result.files);
  });
});
