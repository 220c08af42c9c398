import { describe, expect, it } from 'vitest';
import { planGeneration } from '../../scripts/bench/generation-inputs.js';
import { markdownTable, ratio } from '../../scripts/bench/markdown.js';
import { parseBenchArgs } from '../../scripts/bench/options.js';

describe('parseBenchArgs', () => {
  it('runs every section with 3 rounds of 5 s load runs and 5 generation runs by default, fewer with --quick', () => {
    expect(parseBenchArgs([])).toMatchObject({
      quick: false,
      sections: ['generation', 'startup', 'servers'],
      loadSeconds: 5,
      loadRounds: 3,
      generationRuns: 5,
    });
    expect(parseBenchArgs(['--quick'])).toMatchObject({
      quick: true,
      loadSeconds: 3,
      loadRounds: 2,
      generationRuns: 3,
    });
  });

  it('selects sections, inputs and durations', () => {
    const options = parseBenchArgs([
      '--only=servers,startup',
      '--load-seconds=5',
      '--load-rounds=4',
      '--inputs=github-rest',
      '--gen-timeout=60',
      '--gen-runs=7',
    ]);
    expect(options).toMatchObject({
      sections: ['startup', 'servers'],
      loadSeconds: 5,
      loadRounds: 4,
      inputs: ['github-rest'],
      generationTimeoutS: 60,
      generationRuns: 7,
    });
  });

  it.each([['--only=tests'], ['--load-seconds=0'], ['--load-rounds=0'], ['--gen-runs=0'], ['--fast'], ['--inputs=']])(
    'refuses %s with the usage',
    (arg) => {
      expect(() => parseBenchArgs([arg])).toThrow(/npm run bench/);
    },
  );
});

describe('planGeneration', () => {
  it('keeps the table order whatever order the labels come in', () => {
    expect(planGeneration(['synthetic-20k', 'github-rest'], false).labels).toEqual(['github-rest', 'synthetic-20k']);
  });

  it('is GitHub and the 1k synthetic spec when quick, everything otherwise', () => {
    expect(planGeneration(undefined, true).labels).toEqual(['github-rest', 'synthetic-1k']);
    expect(planGeneration(undefined, false).labels).toHaveLength(6);
  });

  it('refuses an unknown input before anything runs', () => {
    expect(() => planGeneration(['petstore'], false)).toThrow(/unknown input petstore/);
  });
});

describe('markdownTable', () => {
  it('pads cells, left-aligns text columns and right-aligns figures', () => {
    expect(markdownTable(['input', 'mode', 'ms'], [['github', 'none', '1,234']], 2)).toBe(
      ['| input  | mode |    ms |', '|--------|------|------:|', '| github | none | 1,234 |'].join('\n'),
    );
  });

  it('gives a ratio only when both figures exist', () => {
    expect(ratio(3, 2)).toBe('1.50x');
    expect(ratio(3, undefined)).toBe('-');
    expect(ratio(3, 0)).toBe('-');
  });
});
