// `npm run lint`: ESLint from this folder's own install (see package.json here for why it is apart),
// installed first when its lock file changed since the last install, so a fresh clone needs no extra step.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const lock = readFileSync(join(here, 'package-lock.json'), 'utf8');
const marker = join(here, 'node_modules', '.installed-from-lock');

if (!existsSync(marker) || readFileSync(marker, 'utf8') !== lock) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
  writeFileSync(marker, lock);
}

// Flags pass through (`npm run lint -- --fix`); without paths, the folders npm test lints.
const args = process.argv.slice(2);
const targets = args.some((arg) => !arg.startsWith('-'))
  ? args
  : [...args, 'src', 'templates/runtime', 'test', 'scripts'];
const eslint = spawnSync(process.execPath, [join(here, 'node_modules/eslint/bin/eslint.js'), ...targets], {
  cwd: root,
  stdio: 'inherit',
});
process.exitCode = eslint.status ?? 1;
