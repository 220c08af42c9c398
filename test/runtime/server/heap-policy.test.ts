import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, applyHeapPolicy } from '../../../templates/runtime/server/heap-policy.js';

describe('applyHeapPolicy', () => {
  const run = (execArgv: string[], nodeOptions = '') => {
    const set: string[] = [];
    const applied = applyHeapPolicy({ execArgv, nodeOptions, setFlags: (f) => set.push(f) });
    return { applied, set };
  };

  it('lets the old generation grow to twice what the last full GC kept', () => {
    expect(run([])).toEqual({ applied: true, set: [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`] });
  });

  it.each([
    ['a node argument', ['--heap-growing-percent=300'], ''],
    ['NODE_OPTIONS', [], '--max-old-space-size=512 --heap_growing_percent=50'],
  ])('leaves an operator choice in %s alone', (_where, execArgv, nodeOptions) => {
    expect(run(execArgv, nodeOptions)).toEqual({ applied: false, set: [] });
  });
});
