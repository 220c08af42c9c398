import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
const RUNTIME_DIR = join(TEMPLATES_DIR, 'runtime');

/** The runtime's files (POSIX paths relative to templates/runtime), sorted: copied byte for byte into every project. */
export function runtimeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) out.push(relative(RUNTIME_DIR, full).split(sep).join('/'));
    }
  };
  walk(RUNTIME_DIR);
  return out.sort();
}

export function readRuntimeFile(file: string): string {
  return readFileSync(join(RUNTIME_DIR, file), 'utf8');
}

export function readProjectTemplate(name: string): string {
  return readFileSync(join(TEMPLATES_DIR, 'project', name), 'utf8');
}
