/**
 * An error as a log line may carry it: name and message, with quoted values and URL userinfo
 * blanked, since a parser's message can quote the header value it choked on (a token, a
 * `user:password@` Host). Enough to tell what failed, nothing a log reader could replay.
 */
export function safeErrorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\/\/[^/\s@]*@/g, '//…@')
    .slice(0, 300);
}
