import { describe, expect, it } from 'vitest';
import { ciLayout, ciRootFromProject } from '../../src/emit/ci-layout.js';
import { resolveOptions } from '../../src/options.js';
import type { OptionFlags } from '../../src/options.js';

const options = (flags: OptionFlags) =>
  resolveOptions({ flags, config: {}, defaults: { specLabel: 'x', packageName: 'x-mcp' } }).options;
const WORKFLOW = '.github/workflows/openapi-to-mcp.yml';

describe('ciLayout: the workflow of a project in a subfolder, with every path from the repository root', () => {
  it('is nothing for a project at the root: the workflow runs as it is, everywhere', () => {
    expect(ciLayout(options({ specPath: 'openapi.yaml' }))).toBeUndefined();
  });

  it.each([
    ['a spec beside the project', '../../apis/pets.yaml', ['servers/pets/**', 'apis/**', WORKFLOW]],
    ['a spec inside the project', 'openapi.yaml', ['servers/pets/**', WORKFLOW]],
    [
      'a spec at the root: itself and its config',
      '../../pets.yaml',
      ['servers/pets/**', 'pets.yaml', 'openapi-to-mcp.config.*', WORKFLOW],
    ],
    ['a spec outside the repository: no filter can name it', '../../../pets.yaml', ['servers/pets/**', WORKFLOW]],
    ['a spec URL', 'https://api.example.com/openapi.yaml', ['servers/pets/**', WORKFLOW]],
    ['no recorded spec (stdin)', undefined, ['servers/pets/**', WORKFLOW]],
  ])('%s', (_, specPath, paths) => {
    expect(ciLayout(options({ ciProject: 'servers/pets', ...(specPath ? { specPath } : {}) }))).toEqual({
      project: 'servers/pets',
      name: 'openapi-to-mcp (servers/pets)',
      lockFile: 'servers/pets/package-lock.json',
      paths,
    });
  });

  it('adds a --config file outside the project', () => {
    const layout = ciLayout(
      options({ ciProject: 'mcp', specPath: '../apis/a.yaml', configPath: '../config/openapi-to-mcp.config.yaml' }),
    );
    expect(layout?.paths).toEqual(['mcp/**', 'apis/**', 'config/openapi-to-mcp.config.yaml', WORKFLOW]);
  });

  it('escapes glob characters, so a folder named [v1] or a*b matches only itself', () => {
    const layout = ciLayout(options({ ciProject: 'api [v1]/a*b', specPath: 'openapi.yaml' }));
    expect(layout?.paths[0]).toBe('api \\[v1\\]/a\\*b/**');
    expect(layout?.lockFile).toBe('api \\[v1\\]/a\\*b/package-lock.json');
    // The working directory is a path, not a pattern.
    expect(layout?.project).toBe('api [v1]/a*b');
  });

  it('names the root from the project as the regenerate command repeats it', () => {
    expect(ciRootFromProject('servers/pets')).toBe('../..');
    expect(ciRootFromProject('mcp')).toBe('..');
  });
});
