import type { McpModel } from '../model/types.js';
import type { ResolvedOptions } from '../options.js';

/**
 * Who may change a file (DESIGN.md §7): `generator` files (src/generated/, src/runtime/) are
 * rewritten on every run; `scaffold` files are rewritten until the user edits one, then kept;
 * `user` files are created once, then left alone.
 */
export type FileOwner = 'generator' | 'scaffold' | 'user';

export type FileSource =
  | { readonly kind: 'template'; readonly template: string }
  | { readonly kind: 'runtime'; readonly file: string }
  | { readonly kind: 'tool-table'; readonly tool: string }
  | { readonly kind: 'tool-index' }
  | { readonly kind: 'schemas-table' }
  | { readonly kind: 'security-table' }
  | { readonly kind: 'server-table' };

export interface PlannedFile {
  /** POSIX path relative to the project root. */
  readonly path: string;
  readonly owner: FileOwner;
  readonly source: FileSource;
}

export interface ProjectPlan {
  readonly model: McpModel;
  readonly options: ResolvedOptions;
  /** Sorted by path. */
  readonly files: readonly PlannedFile[];
}

const SCAFFOLD: readonly [string, string][] = [
  ['package.json', 'package.json.hbs'],
  ['tsconfig.json', 'tsconfig.json.hbs'],
  // The build type-checks src/ (what ships); `npm test` and `npm run typecheck` check the tests too.
  ['tsconfig.test.json', 'tsconfig.test.json.hbs'],
  // `npm run build` after tsc: the esbuild bundle of src/ and its dependencies, generated tables as JSON.
  ['build.mjs', 'build.mjs.hbs'],
  ['README.md', 'README.md.hbs'],
  ['.env.example', 'env.example.hbs'],
  ['Dockerfile', 'Dockerfile.hbs'],
  ['deploy/kubernetes.yaml', 'kubernetes.yaml.hbs'],
  ['.gitignore', 'gitignore.hbs'],
  ['.gitattributes', 'gitattributes.hbs'],
  ['.dockerignore', 'dockerignore.hbs'],
  ['vitest.config.ts', 'vitest.config.ts.hbs'],
  ['src/index.ts', 'index.ts.hbs'],
  ['src/hash-key.ts', 'hash-key.ts.hbs'],
  ['src/dev.ts', 'dev.ts.hbs'],
  ['src/doctor.ts', 'doctor.ts.hbs'],
  ['src/token.ts', 'token.ts.hbs'],
  ['src/server.ts', 'server.ts.hbs'],
  ['test/server.test.ts', 'server.test.ts.hbs'],
  ['test/auth.test.ts', 'auth.test.ts.hbs'],
  ['test/upstream-stub.ts', 'upstream-stub.ts.hbs'],
  ['.github/workflows/openapi-to-mcp.yml', 'ci-workflow.yml.hbs'],
];

/**
 * Rendered from templates but rewritten every run like src/generated/: the spec-derived test cases,
 * kept out of the scaffold test so an edited test never holds cases of an operation that is gone.
 */
const GENERATOR_TEMPLATES: readonly [string, string][] = [['test/cases.gen.ts', 'cases.gen.ts.hbs']];

/** Created once; the generator never overwrites or deletes them. */
const USER_FILES: readonly [string, string][] = [['src/policy.ts', 'policy.ts.hbs']];

/** McpModel + options -> the files of the generated project (DESIGN.md §4). Pure. */
export function planProject(model: McpModel, options: ResolvedOptions, runtimeFiles: readonly string[]): ProjectPlan {
  const files: PlannedFile[] = [
    ...SCAFFOLD.map(([path, template]): PlannedFile => ({
      path,
      owner: 'scaffold',
      source: { kind: 'template', template },
    })),
    ...GENERATOR_TEMPLATES.map(([path, template]): PlannedFile => ({
      path,
      owner: 'generator',
      source: { kind: 'template', template },
    })),
    ...USER_FILES.map(([path, template]): PlannedFile => ({
      path,
      owner: 'user',
      source: { kind: 'template', template },
    })),
    ...runtimeFiles.map((file): PlannedFile => ({
      path: `src/runtime/${file}`,
      owner: 'generator',
      source: { kind: 'runtime', file },
    })),
    { path: 'src/generated/server.gen.ts', owner: 'generator', source: { kind: 'server-table' } },
    { path: 'src/generated/schemas.gen.ts', owner: 'generator', source: { kind: 'schemas-table' } },
    { path: 'src/generated/security.gen.ts', owner: 'generator', source: { kind: 'security-table' } },
    { path: 'src/generated/tools.gen.ts', owner: 'generator', source: { kind: 'tool-index' } },
    ...model.tools.map((tool): PlannedFile => ({
      path: `src/generated/tools/${tool.name}.gen.ts`,
      owner: 'generator',
      source: { kind: 'tool-table', tool: tool.name },
    })),
  ];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { model, options, files };
}
