/**
 * Thread of a batch build's workspace check (check-thread.ts): checks every report and sends back the
 * plain summaries, then ends, and with it the memory of a thousand reports' data and their index. With a
 * feed, it also sends each report that passes its own checks as soon as it has, while the build wants more.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../diagnostics/errors.js';
import { checkWorkspace, summarize } from './check.js';
import type { WorkspaceConfig } from '../config/config.js';
import { CreditFeed, type CheckThreadMessage, type FeedLink } from './check-thread.js';
import { inShard } from '../batch/shard.js';
import type { CacheMode } from './own-cache.js';

const { config, feed: link, cache } = workerData as { config: WorkspaceConfig; feed?: FeedLink; cache?: CacheMode };
const send = (message: CheckThreadMessage) => parentPort!.postMessage(message);
const feed = link ? new CreditFeed((passed) => send({ passed }), (rel) => inShard(rel, link.shard), link.credit) : undefined;
let message: CheckThreadMessage;
try {
  const check = await checkWorkspace(config, { ...(feed ? { passed: feed } : {}), ...(cache ? { cache } : {}) });
  message = { reports: check.reports.map(summarize) };
} catch (error) {
  message = error instanceof UserError ? { error: error.message, exitCode: error.exitCode } : { error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined };
}
send(message);
