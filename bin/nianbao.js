#!/usr/bin/env node
// The command runs the compiled JavaScript in dist/ (built by `npm install` through the prepare script),
// so that a clerk's machine needs nothing but Node 20.
import { main } from '../dist/cli/main.js';

// A reader that stops early (`nianbao check | head`) closes the pipe. The command ends quietly, not with a
// stack trace of EPIPE: with its own exit code when it has finished, else with 141 as a tool the pipe's
// SIGPIPE stopped (never 0, so that a pipeline under `set -o pipefail` cannot pass a failing check).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 141);
  });
}

process.exitCode = await main(process.argv.slice(2));
