import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/server';
import type { McpServerFactory } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { StdioServerHandle } from '@modelcontextprotocol/server/stdio';

/**
 * The largest message accepted over stdio: MCP_MAX_REQUEST_BYTES, but never below the SDK's
 * 10 MiB default (stdio has always taken that much; the HTTP cap's 1 MiB default is for the network).
 */
export function stdioMaxMessageBytes(maxRequestBodyBytes: number): number {
  return Math.max(maxRequestBodyBytes, STDIO_DEFAULT_MAX_BUFFER_SIZE);
}

/** The SDK transport's error for a message past its buffer (it then closes the connection). */
const OVERSIZE = /ReadBuffer exceeded maximum size/;

/**
 * MCP over stdin/stdout (MCP 2025-11-25 "Transports", stdio) with the message size limit above.
 * A message past the limit ends the connection (the SDK closes it); the process then exits
 * with code 1 and says why on stderr, instead of exiting 0 as if the client had hung up.
 */
export function serveStdioWithLimit(
  factory: McpServerFactory,
  maxMessageBytes: number,
  log: (line: string) => void,
): StdioServerHandle {
  const transport = new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: maxMessageBytes });
  return serveStdio(factory, {
    transport,
    onerror: (error) => {
      if (OVERSIZE.test(error.message)) {
        log(
          JSON.stringify({
            level: 'error',
            msg: `stdio: a message larger than ${maxMessageBytes} bytes arrived; closing the connection and exiting. Raise MCP_MAX_REQUEST_BYTES (up to 64 MiB) if the client must send larger messages.`,
          }),
        );
        process.exitCode = 1;
        return;
      }
      log(JSON.stringify({ level: 'error', msg: error.message }));
    },
  });
}
