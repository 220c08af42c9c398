/** How one doctor check came out: `fail` blocks a deployment (exit 1), `warn` deserves a look, `ok` is fine. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One finding of `npm run doctor`: what was checked, how it came out, and what to do. Never holds a secret. */
export interface DoctorCheck {
  /** Stable identifier of the check, e.g. `public-url`, `issuer-metadata`, `token-audience`. */
  readonly id: string;
  readonly status: CheckStatus;
  /** What was found, followed by what to set or change when it is not `ok`. */
  readonly message: string;
}

export const ok = (id: string, message: string): DoctorCheck => ({ id, status: 'ok', message });
export const warn = (id: string, message: string): DoctorCheck => ({ id, status: 'warn', message });
export const fail = (id: string, message: string): DoctorCheck => ({ id, status: 'fail', message });

/** 1 when any check blocks a deployment, else 0. */
export function exitCodeOf(checks: readonly DoctorCheck[]): 0 | 1 {
  return checks.some((check) => check.status === 'fail') ? 1 : 0;
}

const LABEL: Readonly<Record<CheckStatus, string>> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** One line per check, `ok` / `warn` / `FAIL` first, then a summary line. */
export function formatChecks(checks: readonly DoctorCheck[]): string {
  const count = (status: CheckStatus) => checks.filter((check) => check.status === status).length;
  const lines = checks.map((check) => `${LABEL[check.status]} ${check.id}: ${oneLine(check.message)}`);
  lines.push(
    `${count('fail')} blocking problem(s), ${count('warn')} warning(s), ${count('ok')} ok: ${exitCodeOf(checks) === 0 ? 'ready' : 'not ready'}`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--json`: the checks and the exit code, for machines. */
export function formatChecksJson(checks: readonly DoctorCheck[], details: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ ok: exitCodeOf(checks) === 0, checks, ...details }, null, 2)}\n`;
}

/** Messages quote values from the environment and from tokens: no line breaks or control characters in the output. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
