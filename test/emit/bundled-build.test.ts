import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateProject, REPO } from '../support/generated-project.js';

/** The exports of a generated project's build.mjs (templates/project/build.mjs.hbs). */
interface BuildScript {
  dataModuleAsJson(typescript: string): Promise<string | undefined>;
  buildProject(options?: { root?: string; outdir?: string; dataAsJson?: boolean }): Promise<void>;
}

/**
 * Issue 8: a generated server must not load one ES module per tool at start. `npm run build`
 * type-checks with tsc, then build.mjs bundles src/ with esbuild into dist/index.js, runtime
 * dependencies included (resolving and reading the SDK's files was a third of the GitHub server's
 * start-up CPU), generated tables as JSON.parse (V8 parses JSON faster than object literals);
 * `npm start` and the Dockerfile run that file. The dev authorization server (oidc-provider, a dev
 * dependency) and the upstream client's undici (loaded after the first answer) stay in node_modules.
 */
describe('npm run build in a generated project', () => {
  let project: string;
  let alone: string;
  let script: BuildScript;

  beforeAll(async () => {
    project = generateProject(join(REPO, 'fixtures/petstore-3.1.yaml'), 'bundled-build');
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(build.stderr + build.stdout).not.toMatch(/error/i);
    expect(build.status).toBe(0);
    alone = bundleAlone(project);
    script = (await import(pathToFileURL(join(project, 'build.mjs')).href)) as BuildScript;
  });

  afterAll(() => rmSync(alone, { recursive: true, force: true }));

  test('writes one bundle per entry point, not a module per tool', () => {
    const entries = ['dev', 'doctor', 'hash-key', 'index', 'token'];
    expect(readdirSync(join(project, 'dist')).sort()).toEqual(entries.flatMap((e) => [`${e}.js`, `${e}.js.map`]));
    expect(existsSync(join(project, 'dist/generated'))).toBe(false);
  });

  test.each([
    ['in the project', () => project],
    ['copied alone, with no node_modules to load a dependency from at start', () => alone],
  ])('the bundle serves the tools over stdio, %s', async (_where, folder) => {
    const tools = await listTools(join(folder(), 'dist/index.js'));
    expect(tools.map((t) => t.name).sort()).toEqual(['createPet', 'deletePet', 'listOwnerPets']);
  });

  test('bundles each tool table as JSON.parse, and serves exactly what the object literals describe', async () => {
    const bundle = readFileSync(join(project, 'dist/index.js'), 'utf8');
    expect(bundle).toMatch(/var tool\d* = JSON\.parse\(['"`]\{"name":"createPet"/);
    expect(bundle).not.toMatch(/name: "createPet"/);

    const literalDir = join(project, 'dist-literal');
    await script.buildProject({ root: project, outdir: literalDir, dataAsJson: false });
    expect(readFileSync(join(literalDir, 'index.js'), 'utf8')).toMatch(/name: "createPet"/);
    expect(await listTools(join(project, 'dist/index.js'))).toEqual(await listTools(join(literalDir, 'index.js')));
  });

  describe('dataModuleAsJson: a generated table that holds only data, as JSON.parse', () => {
    test('one JSON.parse per export, evaluating to the same values', async () => {
      const out = await script.dataModuleAsJson(
        "import type { T } from './types.js';\n" +
          "export const tool: T = { name: 'x', n: [1, 2.5, -3], nested: { a: null, b: true, s: 'é\\u2028\"' } };\n" +
          'export const other = [{ k: "v" }];\n',
      );
      // In esbuild's export order (by name); `s`: U+2028 is a line terminator to a regular expression's `.`.
      expect(out).toMatch(/^export const other = JSON\.parse\(".*"\);\nexport const tool = JSON\.parse\(".*"\);\n$/s);
      const evaluated = (await import(`data:text/javascript,${encodeURIComponent(out!)}`)) as Record<string, unknown>;
      expect(evaluated.tool).toEqual({ name: 'x', n: [1, 2.5, -3], nested: { a: null, b: true, s: 'é\u2028"' } });
      expect(evaluated.other).toEqual([{ k: 'v' }]);
    });

    test('an own "__proto__" key stays an own key', async () => {
      const out = await script.dataModuleAsJson("export const t = { ['__proto__']: { polluted: true } };\n");
      expect(out).toBeDefined();
      const { t } = (await import(`data:text/javascript,${encodeURIComponent(out!)}`)) as { t: object };
      expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
      expect(Object.keys(t)).toEqual(['__proto__']);
    });

    test.each([
      ['imports a value', "import { x } from './x.js';\nexport const t = { x };\n"],
      ['has a default export', 'export default { a: 1 };\n'],
      ['exports a function', 'export const f = () => 1;\n'],
      ['holds undefined', 'export const t = { a: undefined };\n'],
      ['holds NaN', 'export const t = [NaN];\n'],
      ['holds -0', 'export const t = [-0];\n'],
      ['sets a prototype with __proto__', 'export const t = { __proto__: { a: 1 } };\n'],
      ['holds a class instance', 'export const t = { d: new Date(0) };\n'],
      ['throws when evaluated', "export const t = JSON.parse('{');\n"],
      ['exports nothing', 'const t = 1;\n'],
    ])('is left as written when the module %s', async (_what, source) => {
      expect(await script.dataModuleAsJson(source)).toBeUndefined();
    });
  });
});

async function listTools(bundle: string) {
  const client = new Client({ name: 'bundled-build', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [bundle],
      env: { PATH: process.env.PATH ?? '', MCP_TRANSPORT: 'stdio', UPSTREAM_BASE_URL: 'http://127.0.0.1:9/api' },
      stderr: 'pipe',
    }),
  );
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

/** dist/index.js and package.json (its `"type": "module"`), in a folder of their own outside the project. */
function bundleAlone(project: string): string {
  const alone = mkdtempSync(join(tmpdir(), 'bundle-alone-'));
  mkdirSync(join(alone, 'dist'));
  copyFileSync(join(project, 'dist/index.js'), join(alone, 'dist/index.js'));
  copyFileSync(join(project, 'package.json'), join(alone, 'package.json'));
  return alone;
}
