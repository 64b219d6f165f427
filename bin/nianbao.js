#!/usr/bin/env node
// The command runs the compiled JavaScript in dist/ (built by `npm install` through the prepare script),
// so that a clerk's machine needs nothing but Node 20.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
