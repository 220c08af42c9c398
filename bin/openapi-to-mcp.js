#!/usr/bin/env node
// The CLI entry: compiled by `npm install` (the `prepare` script) into dist/.
import { setFlagsFromString } from 'node:v8';
import { run } from '../dist/src/cli/main.js';

// A generation is one short burst of work: V8's optimizing compiler (TurboFan), at its default
// budget, compiles functions on background threads that the run ends before it repays (issue 8:
// GitHub's spec 1.53 -> 1.25 s of CPU, 5,000 operations 2.8 -> 2.5 s). A 16x budget keeps it for
// code that stays hot. Process-wide, so set here, in the CLI's own process, not by the library.
setFlagsFromString('--interrupt-budget=1081344');

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
