/** One authorization decision, as logged. Holds names and reasons only: never a token, key or secret. */
export interface AuditRecord {
  readonly subject: string;
  readonly client?: string;
  /** The tool asked for; absent for decisions about the request as a whole (authentication). */
  readonly tool?: string;
  readonly outcome: 'allow' | 'deny';
  readonly reason: string;
  readonly transport: 'http' | 'stdio';
  readonly remoteAddress?: string;
}

export type AuditLog = (record: AuditRecord) => void;

/** Who a decision is about: a caller, or an anonymous request that did not authenticate. */
export interface AuditedParty {
  readonly principal?: { readonly subject: string; readonly clientId?: string };
  readonly transport: 'http' | 'stdio';
  readonly remoteAddress?: string;
}

/**
 * The one emitter of authorization decisions (HTTP gate and stdio guard
 * alike): the record is built from the caller here, so every line has the
 * same fields whichever path decided.
 */
export function recordDecision(
  audit: AuditLog,
  party: AuditedParty,
  decision: { readonly tool?: string; readonly outcome: 'allow' | 'deny'; readonly reason: string },
): void {
  const { principal } = party;
  // Optional fields assigned, not spread: this runs on every call (see createAuditLog).
  const record: { -readonly [K in keyof AuditRecord]: AuditRecord[K] } = {
    subject: principal?.subject ?? 'anonymous',
    outcome: decision.outcome,
    reason: decision.reason,
    transport: party.transport,
  };
  if (principal?.clientId) record.client = principal.clientId;
  if (decision.tool) record.tool = decision.tool;
  if (party.remoteAddress) record.remoteAddress = party.remoteAddress;
  audit(record);
}

/** One JSON line per decision (DESIGN.md §5 "Audit"), written where the server logs (stderr). */
export function createAuditLog(write: (line: string) => void, now: () => Date = () => new Date()): AuditLog {
  // A busy server logs several decisions per millisecond: the timestamp is formatted once per millisecond.
  let lastMs = Number.NaN;
  let lastTime = '';
  const timeOf = (date: Date) => {
    const ms = date.getTime();
    if (ms !== lastMs) {
      lastMs = ms;
      lastTime = date.toISOString();
    }
    return lastTime;
  };
  const quote = JSON.stringify;
  return (record) => {
    // The line is written as text in its field order, each value escaped by JSON.stringify: the
    // same bytes as stringifying the record's object (tested), without building that object per
    // decision. The time is an ISO 8601 string (digits, '-', ':', '.', 'T', 'Z'): nothing to escape.
    let line = `{"time":"${timeOf(now())}","level":"info","msg":"authorization","subject":${quote(record.subject)}`;
    if (record.client) line += `,"client":${quote(record.client)}`;
    if (record.tool) line += `,"tool":${quote(record.tool)}`;
    line += `,"outcome":${quote(record.outcome)},"reason":${quote(record.reason)},"transport":${quote(record.transport)}`;
    if (record.remoteAddress) line += `,"remote":${quote(record.remoteAddress)}`;
    write(`${line}}`);
  };
}
