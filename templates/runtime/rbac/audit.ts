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
  audit({
    subject: principal?.subject ?? 'anonymous',
    ...(principal?.clientId ? { client: principal.clientId } : {}),
    ...(decision.tool ? { tool: decision.tool } : {}),
    outcome: decision.outcome,
    reason: decision.reason,
    transport: party.transport,
    ...(party.remoteAddress ? { remoteAddress: party.remoteAddress } : {}),
  });
}

/** One JSON line per decision (DESIGN.md §5 "Audit"), written where the server logs (stderr). */
export function createAuditLog(write: (line: string) => void, now: () => Date = () => new Date()): AuditLog {
  return (record) => {
    write(
      JSON.stringify({
        time: now().toISOString(),
        level: 'info',
        msg: 'authorization',
        subject: record.subject,
        ...(record.client ? { client: record.client } : {}),
        ...(record.tool ? { tool: record.tool } : {}),
        outcome: record.outcome,
        reason: record.reason,
        transport: record.transport,
        ...(record.remoteAddress ? { remote: record.remoteAddress } : {}),
      }),
    );
  };
}
