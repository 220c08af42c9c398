import { Readable, Writable } from 'node:stream';
import { run } from '../../src/cli/main.js';
import { REPO } from '../support/generated-project.js';

/** A stream that keeps what is written, and says whether it is a terminal (and how wide). */
export class Capture extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** The CLI in this process (no start-up cost), with terminals or pipes as asked. */
export async function runCli(
  argv: readonly string[],
  options: { tty?: boolean; columns?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Capture(options.tty === true, options.columns);
  const stderr = new Capture(options.tty === true, options.columns);
  const status = await run(argv, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: Readable.from([]),
    env: options.env ?? { NO_COLOR: '1' },
    cwd: options.cwd ?? REPO,
  });
  return { status, stdout: stdout.text, stderr: stderr.text };
}
