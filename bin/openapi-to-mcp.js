#!/usr/bin/env node
// The CLI entry: compiled by `npm install` (the `prepare` script) into dist/.
import { run } from '../dist/src/cli/main.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
