import { isAbsolute, relative, sep } from 'node:path';

/**
 * Where the project folder is inside the repository its CI runs from (`--ci-root`, config
 * `ci.root`): GitHub runs workflows only from `.github/workflows` at the repository root, so a
 * project in a subfolder needs a workflow that says where it is. The answer is a relative POSIX
 * path (`servers/pets`), never an absolute one, so the output is the same on every machine;
 * `undefined` when the project is the root. The root must be the project folder or above it.
 */
export function ciProjectPath(
  rootDir: string,
  outDir: string,
): { readonly project: string | undefined } | { readonly error: string } {
  const path = relative(rootDir, outDir);
  if (path === '') return { project: undefined };
  if (isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`))
    return { error: 'the CI root must be the project folder or a folder above it (the root of its repository)' };
  // The path goes into YAML, a shell working directory and GitHub path filters: one line, no controls.
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(path))
    return { error: 'the project path from the CI root has a control character or line break' };
  return { project: path.split(sep).join('/') };
}
