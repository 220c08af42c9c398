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
  return (record) => {
    // The line is built in its field order with optional fields assigned, not spread: an
    // object spread per optional field was the larger part of an audited call's own CPU.
    const line: Record<string, string> = {
      time: timeOf(now()),
      level: 'info',
      msg: 'authorization',
      subject: record.subject,
    };
    if (record.client) line['client'] = record.client;
    if (record.tool) line['tool'] = record.tool;
    line['outcome'] = record.outcome;
    line['reason'] = record.reason;
    line['transport'] = record.transport;
    if (record.remoteAddress) line['remote'] = record.remoteAddress;
    write(JSON.stringify(line));
  };
}
