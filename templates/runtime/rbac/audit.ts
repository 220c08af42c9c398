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
export function createAuditLog(write: (line: string) => void, now?: () => Date): AuditLog {
  // A busy server logs several decisions per millisecond: the timestamp is formatted once per
  // millisecond, and without an injected clock no Date is made for a millisecond already formatted.
  let lastMs = Number.NaN;
  let lastTime = '';
  const timeOf = () => {
    const date = now?.();
    const ms = date === undefined ? Date.now() : date.getTime();
    if (ms !== lastMs) {
      lastMs = ms;
      lastTime = (date ?? new Date(ms)).toISOString();
    }
    return lastTime;
  };
  const tails = createTailMemo();
  // Only the time changes between the lines of one caller calling one tool: the rest of the line
  // is written once per (subject, client, tool, outcome, reason, transport, remote) and reused.
  return (record) => write(`{"time":"${timeOf()}"${tails(record)}`);
}

/** Tools whose last line tail is remembered; past this the memo starts over (a bound, not an LRU). */
export const MAX_REMEMBERED_TAILS = 256;

/**
 * Everything of a line after its time, remembered per tool for the last
 * record written about it: equal fields (compared one by one, never through a
 * key built per call) give the same text. Bounded by `MAX_REMEMBERED_TAILS`.
 */
function createTailMemo(): (record: AuditRecord) => string {
  const byTool = new Map<string, { readonly record: AuditRecord; readonly tail: string }>();
  return (record) => {
    const key = record.tool ?? '';
    const known = byTool.get(key);
    if (known !== undefined && sameFields(known.record, record)) return known.tail;
    const tail = tailOf(record);
    if (known === undefined && byTool.size >= MAX_REMEMBERED_TAILS) byTool.clear();
    // A copy of the fields: the caller's record object may be reused or changed after this call.
    byTool.set(key, { record: { ...record }, tail });
    return tail;
  };
}

function sameFields(a: AuditRecord, b: AuditRecord): boolean {
  return (
    a.subject === b.subject &&
    a.client === b.client &&
    a.tool === b.tool &&
    a.outcome === b.outcome &&
    a.reason === b.reason &&
    a.transport === b.transport &&
    a.remoteAddress === b.remoteAddress
  );
}

/**
 * The line after its time, as text in its field order, each value escaped by JSON.stringify: the
 * same bytes as stringifying the record's object (tested), without building that object per
 * decision. The time is an ISO 8601 string (digits, '-', ':', '.', 'T', 'Z'): nothing to escape.
 */
function tailOf(record: AuditRecord): string {
  const quote = JSON.stringify;
  let line = `,"level":"info","msg":"authorization","subject":${quote(record.subject)}`;
  if (record.client) line += `,"client":${quote(record.client)}`;
  if (record.tool) line += `,"tool":${quote(record.tool)}`;
  line += `,"outcome":${quote(record.outcome)},"reason":${quote(record.reason)},"transport":${quote(record.transport)}`;
  if (record.remoteAddress) line += `,"remote":${quote(record.remoteAddress)}`;
  return `${line}}`;
}
