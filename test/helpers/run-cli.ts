/** The command line from source, for tests that need it in a child process of its own (`node --import tsx`). */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
