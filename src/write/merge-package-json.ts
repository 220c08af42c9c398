import { parseJsonOrUndefined } from '../parse-json.js';
/**
 * package.json is scaffold, but the dependency versions in it are what the generated code was
 * built and tested against. Once the user edits the file (`npm install dotenv`), it is merged
 * rather than kept whole: the user's file, with every dependency the generator declares set to
 * the generator's version and every script the generator declares added when it is missing. The
 * user's own dependencies, scripts and fields stay. Returns undefined when either side is not a
 * JSON object (then the file is simply kept as the user's).
 */
export function mergePackageJson(current: string, generated: string): string | undefined {
  const mine = parseObject(current);
  const theirs = parseObject(generated);
  if (!mine || !theirs) return undefined;
  const merged: Record<string, unknown> = { ...mine };
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const wanted = objectOf(theirs[field]);
    if (Object.keys(wanted).length === 0) continue;
    const present = objectOf(mine[field]);
    // A dependency the user moved between dependencies and devDependencies stays where they put it.
    const other = objectOf(mine[field === 'dependencies' ? 'devDependencies' : 'dependencies']);
    const next: Record<string, unknown> = { ...present };
    for (const [name, version] of Object.entries(wanted)) {
      if (Object.hasOwn(other, name) && !Object.hasOwn(present, name)) continue;
      next[name] = version;
    }
    merged[field] = sortKeys(next);
  }
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const other = field === 'dependencies' ? 'devDependencies' : 'dependencies';
    const wanted = objectOf(theirs[other]);
    const moved = objectOf(merged[field]);
    for (const name of Object.keys(moved)) if (Object.hasOwn(wanted, name)) moved[name] = wanted[name];
  }
  const scripts = objectOf(theirs['scripts']);
  if (Object.keys(scripts).length > 0) {
    const present = objectOf(mine['scripts']);
    merged['scripts'] = {
      ...present,
      ...Object.fromEntries(Object.entries(scripts).filter(([name]) => !Object.hasOwn(present, name))),
    };
  }
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const value = parseJsonOrUndefined(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

/** npm keeps dependency lists sorted; so does the merge, so `npm install` does not rewrite it again. */
function sortKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
