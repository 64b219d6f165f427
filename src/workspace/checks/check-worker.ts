/**
 * Thread of a batch build's workspace check (check-thread.ts): checks every report and sends back the
 * plain summaries, then ends, and with it the memory of a thousand reports' data and their index.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../diagnostics/errors.js';
import { checkWorkspace, summarize } from './check.js';
import type { WorkspaceConfig } from '../config/config.js';
import type { CheckThreadMessage } from './check-thread.js';

const { config } = workerData as { config: WorkspaceConfig };
let message: CheckThreadMessage;
try {
  const check = await checkWorkspace(config);
  message = { reports: check.reports.map(summarize) };
} catch (error) {
  message = error instanceof UserError ? { error: error.message, exitCode: error.exitCode } : { error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined };
}
parentPort!.postMessage(message);
