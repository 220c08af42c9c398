import type { McpModel } from '../model/types.js';
import type { ResolvedOptions } from '../options.js';
import {
  ENV_GROUPS,
  envDefault,
  envEntries,
  projectDefaults,
  type EnvVarSpec,
  type ProjectDefaults,
} from '../../templates/runtime/config/env-table.js';
import { credentialVariables, type CredentialVariable } from '../../templates/runtime/http/upstream-credentials.js';

/**
 * The generated `.env.example` and the README's configuration table, both from the runtime's
 * environment table (`templates/runtime/config/env-table.ts`) and its credential naming rule
 * (`http/upstream-credentials.ts`): what the server reads is what the project documents.
 */

/** One row of the README's configuration table: cells already Markdown, on one line. */
export interface EnvReadmeRow {
  readonly name: string;
  readonly meaning: string;
  readonly default: string;
}

/** The upstream credential variables of one security scheme. */
export interface SchemeCredentials {
  readonly scheme: string;
  readonly what: string;
  readonly vars: readonly CredentialVariable[];
}

export function defaultsOf(model: McpModel, options: Pick<ResolvedOptions, 'toolMode'>): ProjectDefaults {
  return projectDefaults({ server: model.server, authorization: model.authorization, toolMode: options.toolMode });
}

/** Every upstream credential variable of the model, grouped by scheme (schemes the server cannot satisfy have none). */
export function schemeCredentials(
  model: McpModel,
  help: (scheme: McpModel['schemes'][number]) => string,
): SchemeCredentials[] {
  return model.schemes.flatMap((s) =>
    s.upstream ? [{ scheme: s.name, what: help(s), vars: credentialVariables(s.upstream) }] : [],
  );
}

/**
 * The lines of `.env.example` after its title: one section per group of the table, then the
 * upstream credentials. Variables the table marks active are set (`NAME=value`), the others
 * commented out with their default (`# NAME=default   # what it does`). Secrets are always blank.
 */
export function envExampleLines(defaults: ProjectDefaults, credentials: readonly SchemeCredentials[]): string[] {
  const lines: string[] = [];
  for (const [group, heading] of Object.entries(ENV_GROUPS)) {
    const entries = envEntries().filter(([, spec]) => spec.group === group);
    if (entries.length === 0) continue;
    lines.push('', `# ${heading}`);
    for (const [name, spec] of entries) {
      const value = spec.type === 'secret' ? '' : (envDefault(name, defaults) ?? '');
      const note =
        spec.noDefault && value === '' && !/^(none|required|off)\b/.test(spec.noDefault)
          ? ` (default: ${spec.noDefault})`
          : '';
      // The section says HTTP or the MCP_AUTH mode; a stdio-only variable says so itself.
      const text = `${spec.applies.join() === 'stdio' ? 'stdio: ' : ''}${oneLine(spec.description)}${note}`;
      if (spec.active) lines.push(`# ${text}`, `${name}=${value}`);
      else lines.push(`# ${name}=${value}   # ${text}`);
    }
  }
  if (credentials.length > 0) {
    lines.push(
      '',
      '# Upstream credentials, one set per OpenAPI security scheme. They are sent only to the upstream API.',
    );
    for (const c of credentials) {
      lines.push(`# ${oneLine(c.scheme)}: ${oneLine(c.what)}`);
      for (const v of c.vars) {
        lines.push(v.optional ? `# ${v.name}=   # ${oneLine(v.description)}` : `${v.name}=`);
      }
    }
  }
  return lines;
}

/** The README's configuration table: every table entry, then every upstream credential variable. */
export function envReadmeRows(defaults: ProjectDefaults, credentials: readonly SchemeCredentials[]): EnvReadmeRow[] {
  const rows = envEntries().map(([name, spec]) => {
    const value = spec.type === 'secret' ? undefined : envDefault(name, defaults);
    return {
      name,
      meaning: meaningCell(spec),
      default: value === undefined ? cell(spec.noDefault ?? 'none') : `\`${value}\``,
    };
  });
  const upstream = credentials.flatMap((c) =>
    c.vars.map((v) => ({
      name: v.name,
      meaning: cell(`\`${c.scheme.replace(/`/g, '')}\` scheme: ${v.description}`),
      default: 'none',
    })),
  );
  return [...rows, ...upstream];
}

/**
 * The cells of the README's configuration table that are the same for every project: each
 * variable's meaning, and its default where that is words. The README is printed without
 * prettier where its cells are these or plain (readme-table.ts); a test checks prettier keeps them.
 */
export function constantEnvCells(): ReadonlySet<string> {
  return new Set(envEntries().flatMap(([, spec]) => [meaningCell(spec), cell(spec.noDefault ?? 'none')]));
}

function meaningCell(spec: EnvVarSpec): string {
  return cell([scopePrefix(spec) + spec.description, spec.details].filter(Boolean).join('. '));
}

/** Where a variable matters, as the README says it: `oauth`: , HTTP: , stdio: , `npm run dev`: . */
function scopePrefix(spec: EnvVarSpec): string {
  if (spec.auth) return `\`${spec.auth}\`: `;
  const applies = spec.applies.join(',');
  if (applies === 'http' && spec.group !== 'auth') return 'HTTP: ';
  if (applies === 'stdio') return 'stdio: ';
  if (applies === 'dev') return '`npm run dev`: ';
  return '';
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/** One Markdown table cell: one line, `|` escaped (GFM splits cells there, even in code spans). */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}
