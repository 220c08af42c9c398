import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * SHA-256 (hex) of the root file's bytes followed by every other file read,
 * in sorted order of their path relative to the root's folder (so the hash
 * does not depend on where the spec lives). A single-file spec hashes to
 * exactly `sha256sum` of the file. Each extra file is framed by its relative
 * path and length, so moving bytes between files changes the hash.
 */
export function hashInput(rootLocation: string, rootBytes: Buffer, others: ReadonlyMap<string, Buffer>): string {
  const hash = createHash('sha256');
  hash.update(rootBytes);
  const base = isUrl(rootLocation) ? undefined : path.dirname(rootLocation);
  const named = [...others]
    .filter(([location]) => location !== rootLocation)
    .map(([location, bytes]) => ({
      name: base && !isUrl(location) ? toPosix(path.relative(base, location)) : location,
      bytes,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, bytes } of named) {
    hash.update(`\0${name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

function isUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(location);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
