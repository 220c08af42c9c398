import { posix } from 'node:path';
import type { ResolvedOptions } from '../options.js';

/** What the CI workflow template needs when the project is in a subfolder of its repository. */
export interface CiLayout {
  /** The project folder from the repository root (POSIX): `defaults.run.working-directory`. */
  readonly project: string;
  /** The workflow's name, so several projects' workflows are told apart in one repository. */
  readonly name: string;
  /** setup-node's `cache-dependency-path`: the project's lock file, from the root. */
  readonly lockFile: string;
  /** `on.push.paths` / `on.pull_request.paths`: the project, the spec's folder, the workflow itself. */
  readonly paths: readonly string[];
}

const WORKFLOW = '.github/workflows/openapi-to-mcp.yml';

/**
 * The workflow's settings for a project at `options.ciProject` in its repository; `undefined` when
 * the project is the repository root (the workflow then runs everywhere, as it is). Every path is
 * relative to the root: the file is moved there as it is, and the output stays machine-independent.
 */
export function ciLayout(options: ResolvedOptions): CiLayout | undefined {
  const project = options.ciProject;
  if (project === undefined) return undefined;
  const paths = [`${globLiteral(project)}/**`];
  // The spec (with the config and $ref'd files beside it) may live outside the project: changing it must run the check too.
  const spec = fromRoot(project, options.specPath);
  if (spec !== undefined) {
    const dir = posix.dirname(spec);
    // A spec at the root: itself and its config, not the whole repository.
    if (dir === '.') paths.push(globLiteral(spec), 'openapi-to-mcp.config.*');
    else paths.push(`${globLiteral(dir)}/**`);
  }
  const config = fromRoot(project, options.configPath);
  if (config !== undefined) paths.push(globLiteral(config));
  paths.push(WORKFLOW);
  return {
    project,
    name: `openapi-to-mcp (${project})`,
    lockFile: globLiteral(`${project}/package-lock.json`),
    paths: [...new Set(paths)],
  };
}

/**
 * A file named relative to the project, seen from the root; `undefined` for a URL, for a file inside
 * the project (`<project>/**` covers it) or outside the repository (a filter cannot name it).
 */
function fromRoot(project: string, path: string | undefined): string | undefined {
  if (path === undefined || /^https?:\/\//i.test(path)) return undefined;
  const file = posix.normalize(posix.join(project, path));
  if (file === '..' || file.startsWith('../') || posix.isAbsolute(file)) return undefined;
  return file.startsWith(`${project}/`) ? undefined : file;
}

/**
 * GitHub's filter patterns and setup-node's cache path are globs: a folder named `[v1]` or `a*b`
 * must match itself, so pattern characters are escaped with `\` (GitHub: "Filter pattern cheat sheet").
 */
function globLiteral(path: string): string {
  return path.replace(/[\\*?[\]!+{}]/g, '\\$&');
}

/** `servers/pets` -> `../..`: the CI root seen from the project, as the regenerate command names it. */
export function ciRootFromProject(project: string): string {
  return project
    .split('/')
    .map(() => '..')
    .join('/');
}
