import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadDocument } from '../../src/load/index.js';
import { percentile } from '../../scripts/bench/stats.js';
import { countOperations, syntheticSpec } from '../../scripts/bench/synthetic-spec.js';

const petstore = parse(readFileSync(join(import.meta.dirname, '../../fixtures/petstore-3.1.yaml'), 'utf8')) as Record<
  string,
  unknown
>;
const scratch = mkdtempSync(join(tmpdir(), 'bench-helpers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function operationIds(document: Record<string, unknown>): string[] {
  return Object.values(document.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((item) =>
    Object.values(item).flatMap((op) => (typeof op === 'object' && op?.operationId ? [op.operationId] : [])),
  );
}

describe('percentile', () => {
  it.each([
    [[5, 1, 4, 2, 3], 50, 3],
    [[5, 1, 4, 2, 3], 0, 1],
    [[5, 1, 4, 2, 3], 100, 5],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 1000 }, (_, i) => 1000 - i), 99, 990],
    [[7], 99, 7],
  ])('of %j at p%d is the sample of that rank: %d', (values, p, want) => {
    expect(percentile(values, p)).toBe(want);
  });

  it('is NaN without samples and refuses a p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('syntheticSpec', () => {
  const base = countOperations(petstore);

  it('makes exactly the operations asked for, with unique operationIds, across several copies', () => {
    const n = base * 3 + 1;
    const spec = syntheticSpec(petstore, n);
    const ids = operationIds(spec);
    expect(countOperations(spec)).toBe(n);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    expect(Object.keys(spec.paths as object).every((path) => /^\/copy-[1-4]\//.test(path))).toBe(true);
  });

  it('cuts the last copy at the operation that reaches the count', () => {
    expect(countOperations(syntheticSpec(petstore, 1))).toBe(1);
  });

  it('shares components and leaves the source unchanged', () => {
    const before = JSON.stringify(petstore);
    const spec = syntheticSpec(petstore, base * 2);
    expect(spec.components).toBe(petstore.components);
    expect(JSON.stringify(petstore)).toBe(before);
  });

  it('refuses a count that is not a positive whole number', () => {
    expect(() => syntheticSpec(petstore, 0)).toThrow(RangeError);
    expect(() => syntheticSpec(petstore, 2.5)).toThrow(RangeError);
  });

  it('loads with our loader without errors', async () => {
    const file = join(scratch, 'synthetic.json');
    writeFileSync(file, JSON.stringify(syntheticSpec(petstore, base * 2 + 1)));
    const loaded = await loadDocument(file);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(countOperations(loaded.document as Record<string, unknown>)).toBe(base * 2 + 1);
  });
});
