/** A line sink that writes what it is given in batches; `flush` writes what is pending now. */
export interface BatchedLines {
  (line: string): void;
  flush(): void;
  /** Writes what is pending, and from now on every line as it comes (no batching). */
  unbatch(): void;
}

export interface BatchedLinesOptions {
  /** When to write what a turn produced; default `setImmediate` (the end of the current event-loop turn). */
  readonly schedule?: (flush: () => void) => void;
  /** Pending characters past which the batch is written at once, so a flood cannot grow it; default 64 KiB. */
  readonly maxPendingChars?: number;
}

export const DEFAULT_MAX_PENDING_CHARS = 64 * 1024;

/**
 * Lines (`\n` appended) gathered and written with one `write` per event-loop
 * turn. The operator log and the audit trail are JSON lines on stderr, which
 * Node writes synchronously to a file or pipe: one write(2) per line was a
 * visible part of an authorized call's CPU, and a busy server decides a
 * dozen calls or more in one turn. Lines keep their order (one buffer for
 * every line). They reach the sink by the end of the turn that produced them,
 * or at once past `maxPendingChars`; the caller flushes on process exit.
 */
export function createBatchedLines(write: (chunk: string) => void, options: BatchedLinesOptions = {}): BatchedLines {
  const schedule = options.schedule ?? ((flush: () => void) => void setImmediate(flush));
  let maxPending = options.maxPendingChars ?? DEFAULT_MAX_PENDING_CHARS;
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    write(chunk);
  };
  const sink = (line: string) => {
    pending += `${line}\n`;
    if (pending.length >= maxPending) flush();
    else if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
  const unbatch = () => {
    maxPending = 0;
    flush();
  };
  return Object.assign(sink, { flush, unbatch });
}

let stderrLines: BatchedLines | undefined;

/**
 * The process's stderr as a batched line sink, made once. Pending lines are
 * written on `exit`, which Node emits for `process.exit`, an uncaught
 * exception and an unhandled rejection alike: only a process killed outright
 * (SIGKILL, out of memory) within the turn that logged them loses lines.
 */
export function batchedStderr(): BatchedLines {
  if (stderrLines === undefined) {
    const sink = createBatchedLines((chunk) => process.stderr.write(chunk));
    process.once('exit', () => sink.flush());
    stderrLines = sink;
  }
  return stderrLines;
}

/**
 * Writes the process's pending stderr lines now (nothing when there are none
 * or the sink was never made). Called before a response decided in the same
 * turn as its log lines (a refusal): whoever reads the answer can then read
 * the audit line of the decision behind it. An allowed call needs none: its
 * line is written before the upstream answer it waits for can arrive.
 */
export function flushPendingStderr(): void {
  stderrLines?.flush();
}
