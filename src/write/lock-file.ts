import { hash } from 'node:crypto';
import type { EmittedFile } from '../emit/emit-project.js';
import { GENERATOR_VERSION } from '../emit/versions.js';
import type { FileOwner } from '../plan/plan-project.js';
import { parseJsonOrUndefined } from '../parse-json.js';

export const LOCK_FILE = 'openapi-to-mcp.lock.json';

export interface LockEntry {
  readonly owner: FileOwner;
  /** SHA-256 (hex) of the bytes the generator produced for this path. */
  readonly sha256: string;
}

/**
 * `openapi-to-mcp.lock.json` (DESIGN.md §4, §7): what produced the project and the hash of each
 * file the generator produced, so the next run can tell its own untouched files from the user's
 * edits. No timestamps; keys in a fixed order and files sorted by path, so it is the same bytes
 * for the same input.
 */
export interface Lock {
  readonly generator: 'openapi-to-mcp';
  readonly version: string;
  /** The spec as seen from the project folder (or its URL); absent for stdin. */
  readonly spec?: string;
  readonly specHash: string;
  /** See `optionsHash` in options.ts: every option, including the config file's hash. */
  readonly optionsHash: string;
  readonly files: Readonly<Record<string, LockEntry>>;
}

export interface LockInputs {
  readonly specHash: string;
  readonly optionsHash: string;
  readonly spec?: string;
}

export function buildLock(files: readonly EmittedFile[], inputs: LockInputs): Lock {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    generator: 'openapi-to-mcp',
    version: GENERATOR_VERSION,
    ...(inputs.spec !== undefined ? { spec: inputs.spec } : {}),
    specHash: inputs.specHash,
    optionsHash: inputs.optionsHash,
    files: Object.fromEntries(sorted.map((f) => [f.path, { owner: f.owner, sha256: sha256(f.content) }])),
  };
}

export function renderLock(lock: Lock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/**
 * Reads a lock file from disk, which anyone may have edited: anything that is not plainly ours is
 * dropped. A path that is not a plain relative path inside the project is ignored, so a hostile
 * lock can never make the generator touch a file outside the project. Lock files written before
 * owners were recorded (`path: sha256`) count as generator-owned.
 */
export function parseLock(text: string): Lock | undefined {
  const raw = parseJsonOrUndefined(text);
  if (!isRecord(raw) || raw.generator !== 'openapi-to-mcp' || !isRecord(raw.files)) return undefined;
  const files: Record<string, LockEntry> = {};
  for (const [path, entry] of Object.entries(raw.files)) {
    if (!isProjectPath(path)) continue;
    if (typeof entry === 'string' && HEX64.test(entry)) files[path] = { owner: 'generator', sha256: entry };
    else if (isRecord(entry) && typeof entry.sha256 === 'string' && HEX64.test(entry.sha256) && isOwner(entry.owner)) {
      files[path] = { owner: entry.owner, sha256: entry.sha256 };
    }
  }
  return {
    generator: 'openapi-to-mcp',
    version: typeof raw.version === 'string' ? raw.version : '',
    ...(typeof raw.spec === 'string' ? { spec: raw.spec } : {}),
    specHash: typeof raw.specHash === 'string' ? raw.specHash : '',
    optionsHash: typeof raw.optionsHash === 'string' ? raw.optionsHash : '',
    files,
  };
}

export function sha256(content: string | Buffer): string {
  // One-shot (Node 20.12+): no Hash object per file; 1,350 files on GitHub's API, 5,000 on synthetic-5k (issue 8).
  return hash('sha256', content, 'hex');
}

/** A plain relative POSIX path inside the project: no absolute path, drive, backslash, `.`/`..` or empty segment, NUL. */
export function isProjectPath(path: string): boolean {
  if (path === '' || path.includes('\0') || path.includes('\\') || path.startsWith('/') || /^[a-zA-Z]:/.test(path))
    return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const HEX64 = /^[0-9a-f]{64}$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOwner = (v: unknown): v is FileOwner => v === 'generator' || v === 'scaffold' || v === 'user';
