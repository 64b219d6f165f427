/**
 * The workspace check of a batch build, on a thread of its own. Checking a thousand reports holds every
 * report's data and the index of their sections (the parsed files are dropped report by report); V8
 * keeps a heap that has grown long after its objects are gone, so a check on the main thread added
 * that much to the whole build's peak memory while the renderers ran. A thread's heap is returned when
 * the thread ends.
 */
import { UserError } from '../../diagnostics/errors.js';
import type { CheckedSummary, PassedFeed, PassedReport } from './check.js';
import type { WorkspaceConfig } from '../config/config.js';
import { startThread } from '../../threads.js';
import type { CacheMode } from './own-cache.js';

export type CheckThreadMessage =
  | { readonly reports: readonly CheckedSummary[] }
  | { readonly passed: PassedReport }
  | { readonly error: string; readonly exitCode?: number; readonly stack?: string };

/**
 * A feed of passed reports (check.ts) that works across threads: how many more reports the build wants is a
 * counter in shared memory, granted by the build as its renderers free up and read by the check as it goes,
 * so neither thread waits for a message from the other, and a report is copied across only when wanted.
 */
export class CreditFeed implements PassedFeed {
  constructor(
    private readonly take: (report: PassedReport) => void,
    /** whether a report (by its path in the workspace) is one this build renders (its shard) */
    private readonly accepts: (rel: string) => boolean = () => true,
    readonly credit: Int32Array = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
  ) {}

  /** The build wants `n` more reports. */
  grant(n: number): void {
    Atomics.add(this.credit, 0, n);
  }

  wants(rel: string): boolean {
    return this.accepts(rel) && Atomics.load(this.credit, 0) > 0;
  }

  offer(report: PassedReport): void {
    Atomics.sub(this.credit, 0, 1);
    this.take(report);
  }

  /** A report the check's thread offered (and counted against the credit there). */
  received(report: PassedReport): void {
    this.take(report);
  }
}

/** What the check's thread needs to feed a build on the main thread: the shared counter and the build's shard. */
export interface FeedLink {
  readonly credit: Int32Array;
  readonly shard?: { readonly index: number; readonly count: number };
}

/**
 * Checks the workspace on its own thread (with `cache`, own-cache.ts). With `feed`, each report that passes its own checks is handed to
 * `feed` (on this thread) while the check goes on, as far as the feed's credit allows.
 */
export async function checkWorkspaceInThread(config: WorkspaceConfig, feed?: { readonly feed: CreditFeed; readonly shard?: FeedLink['shard'] }, cache?: CacheMode): Promise<readonly CheckedSummary[]> {
  const link: FeedLink | undefined = feed ? { credit: feed.feed.credit, ...(feed.shard ? { shard: feed.shard } : {}) } : undefined;
  const thread = startThread('workspace/checks/check-worker', { config, ...(link ? { feed: link } : {}), ...(cache ? { cache } : {}) });
  try {
    const message = await new Promise<Exclude<CheckThreadMessage, { passed: PassedReport }>>((resolve, reject) => {
      thread.on('message', (m: CheckThreadMessage) => {
        if ('passed' in m) feed?.feed.received(m.passed);
        else resolve(m);
      });
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`校验线程意外退出（代码 ${code}）`)));
    });
    if ('reports' in message) return message.reports;
    if (message.exitCode !== undefined) throw new UserError(message.error, message.exitCode);
    const error = new Error(message.error);
    if (message.stack) error.stack = message.stack;
    throw error;
  } finally {
    await thread.terminate();
  }
}
