#!/usr/bin/env node
// Runs every real-world spec in ../shared/specs through `generate` and `tsc --noEmit`, and prints
// a Markdown table: spec, result, tools, seconds. Usage: node scripts/corpus.js [name-filter]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const specs = join(repo, '../shared/specs');
const roots = { 'digitalocean-public': 'digitalocean-public/DigitalOcean-public.v2.yaml', 'oai-petstore-separate': 'oai-petstore-separate/spec/swagger.yaml' };
const deps = join(repo, '.cache/generated-deps/node_modules');
if (!existsSync(deps)) {
  console.error('run the end-to-end tests once first (npm test): they install the generated projects\' dependencies into .cache/');
  process.exit(2);
}
const filter = process.argv[2] ?? '';
const rows = [];
for (const name of readdirSync(specs).sort()) {
  const path = roots[name] ? join(specs, roots[name]) : join(specs, name);
  if (!statSync(path).isFile() || !/\.(ya?ml|json)$/.test(path) || !name.includes(filter)) continue;
  const out = join(repo, '.cache/corpus-report', name.replace(/\.(ya?ml|json)$/, ''));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  const t0 = performance.now();
  const gen = spawnSync(process.execPath, [join(repo, 'bin/openapi-to-mcp.js'), 'generate', path, '-o', out, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const genSeconds = (performance.now() - t0) / 1000;
  let result;
  try {
    result = JSON.parse(gen.stdout);
  } catch {
    result = { ok: false, diagnostics: [{ code: 'CRASH', severity: 'error' }] };
  }
  let tsc = '';
  if (gen.status === 0) {
    symlinkSync(deps, join(out, 'node_modules'), 'dir');
    const t1 = performance.now();
    const check = spawnSync(join(deps, '.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: out, encoding: 'utf8' });
    tsc = `${check.status === 0 ? 'ok' : 'FAILED'} ${((performance.now() - t1) / 1000).toFixed(1)}`;
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  const status = gen.status === 0 ? `generated${warnings ? ` (${warnings} warnings)` : ''}` : `exit ${gen.status}: ${[...new Set(errors.map((d) => d.code))].join(', ')}`;
  rows.push(`| ${name} | ${status} | ${result.tools ?? '-'} | ${genSeconds.toFixed(1)} | ${tsc || '-'} |`);
  console.error(rows.at(-1));
}
console.log('| spec | result | tools | generate s | tsc --noEmit s |\n|---|---|---:|---:|---|');
console.log(rows.join('\n'));
