import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, REPO } from './paths.js';
import { sharedDependencies } from '../shared-dependencies.js';

/**
 * Generates `spec` with our CLI into `outDir`, links the dependencies every
 * generated project declares (one shared install, the same folder and key as
 * test/support/generated-project.ts, so the end-to-end tests' install is
 * reused), and runs the project's own `npm run build`.
 */
export function buildGeneratedProject(spec: string, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  run(process.execPath, [CLI, 'generate', spec, '-o', outDir], REPO, `generate ${spec}`);
  symlinkSync(sharedDependencies(outDir, join(REPO, '.cache')), join(outDir, 'node_modules'), 'dir');
  run('npm', ['run', 'build', '--silent'], outDir, `build ${outDir}`);
  if (!existsSync(join(outDir, 'dist/index.js'))) throw new Error(`bench: ${outDir} built no dist/index.js`);
}

function run(command: string, args: readonly string[], cwd: string, what: string): void {
  const result = spawnSync(command, [...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0) {
    throw new Error(
      `bench: ${what} failed (exit ${result.status}):\n${`${result.stdout}\n${result.stderr}`.trim().slice(-3000)}`,
    );
  }
}
