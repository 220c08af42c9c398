import { ConfigError } from './config-error.js';

/**
 * Runs an entry point (`npm start`, `npm run dev`): a configuration the server cannot start with
 * is one line saying what to set and exit code 1, not a stack trace; anything else is a bug and
 * propagates.
 */
export async function withConfigErrors(log: (line: string) => void, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log(`configuration error: ${error.message}`);
    process.exitCode = 1;
  }
}

/** SIGINT and SIGTERM close the servers, then the process exits 0 (a container's stop, Ctrl-C). */
export function closeOnSignals(close: () => Promise<void>): void {
  const stop = () => void close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
