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
