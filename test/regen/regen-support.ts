import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO, snapshot } from '../cli/cli-process.js';

export const PETSTORE = join(REPO, 'fixtures/petstore-3.1.yaml');

type Spec = { paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** fixtures/petstore-3.1.yaml, changed by `edit`, written to `dir/name`; returns its path. */
export function writeSpec(dir: string, name: string, edit: (spec: Spec) => void = () => {}): string {
  const spec = parse(readFileSync(PETSTORE, 'utf8')) as Spec;
  edit(spec);
  const path = join(dir, name);
  writeFileSync(path, stringify(spec));
  return path;
}

/** One more operation: GET /pets/{petId} as `getPet`. */
export function addGetPet(spec: Spec): void {
  spec.paths['/pets/{petId}'] = {
    ...spec.paths['/pets/{petId}'],
    get: {
      operationId: 'getPet',
      summary: 'Fetch a pet',
      parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      responses: {
        '200': {
          description: 'The pet',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
        },
      },
    },
  };
}

/** Without DELETE /pets/{petId} (`deletePet`). */
export function removeDeletePet(spec: Spec): void {
  const item = spec.paths['/pets/{petId}'] ?? {};
  delete item.delete;
  if (Object.keys(item).length === 0) delete spec.paths['/pets/{petId}'];
}

/** The same operations, paths and methods in reverse order. */
export function reversePaths(spec: Spec): void {
  spec.paths = Object.fromEntries(
    Object.entries(spec.paths)
      .reverse()
      .map(([path, item]) => [path, Object.fromEntries(Object.entries(item).reverse())]),
  );
}

/** SHA-256 of each file under `dir`, by relative path. */
export function treeHashes(dir: string): Record<string, string> {
  const files = snapshot(dir) ?? {};
  return Object.fromEntries(
    Object.entries(files).map(([path, text]) => [path, createHash('sha256').update(text).digest('hex')]),
  );
}

/** Paths whose hash differs between two trees, or that only one has. */
export function changedPaths(before: Record<string, string>, after: Record<string, string>): string[] {
  const all = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...all].filter((p) => before[p] !== after[p]).sort();
}
