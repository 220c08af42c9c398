import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build-model.js';
import { loaded, operation } from './literal-document.js';

const document = { paths: { '/pets': { get: operation({ operationId: 'listPets' }) } } };

describe('config outputSchemas reaches the runtime through the server definition', () => {
  it.each(['shallow', 'full', 'none'] as const)('%s is written into the server definition', (mode) => {
    expect(buildModel(loaded(document), { outputSchemas: mode }).server.outputSchemas).toBe(mode);
  });

  it('absent: no key, so generated projects without the setting do not change (the runtime defaults to shallow)', () => {
    expect('outputSchemas' in buildModel(loaded(document)).server).toBe(false);
  });
});
