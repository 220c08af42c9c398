import { describe, expect, it } from 'vitest';
import { parseKeepFile } from '../../src/write/keep-file.js';

const TEXT = [
  '# patched until openapi-to-mcp ships the fix',
  'src/runtime/http/percent-encode.ts',
  '  src/generated/tools/createPet.gen.ts  ',
  '',
  'src/runtime/doctor/',
  // Never a path outside the project, nor a pattern.
  '../outside.ts',
  '/etc/passwd',
  'src/../../x.ts',
  'src\\runtime\\a.ts',
  '/',
  '*',
].join('\r\n');

describe('parseKeepFile', () => {
  const keep = parseKeepFile(TEXT);
  it.each([
    ['an exact path', 'src/runtime/http/percent-encode.ts', true],
    ['an exact path with spaces around it', 'src/generated/tools/createPet.gen.ts', true],
    ['a file below a listed folder', 'src/runtime/doctor/check.ts', true],
    ['a file deeper below a listed folder', 'src/runtime/doctor/a/b.ts', true],
    ['a sibling of a listed file', 'src/runtime/http/fetch-json.ts', false],
    ['a folder name that only starts like a listed one', 'src/runtime/doctor-x/a.ts', false],
    ['a comment line', '# patched until openapi-to-mcp ships the fix', false],
    ['a path that climbs out of the project', '../outside.ts', false],
    ['a pattern (no globs)', 'src/runtime/x.ts', false],
  ])('%s: %s -> %s', (_name, path, kept) => {
    expect(keep(path)).toBe(kept);
  });

  it('an empty or comment-only file keeps nothing', () => {
    expect(parseKeepFile('')('a.ts')).toBe(false);
    expect(parseKeepFile('# nothing yet\n\n')('# nothing yet')).toBe(false);
  });
});
