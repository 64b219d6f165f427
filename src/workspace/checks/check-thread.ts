/**
 * The workspace check of a batch build, on a thread of its own. Checking a thousand reports holds every
 * report's data and the index of their sections (the parsed files are dropped report by report); V8
 * keeps a heap that has grown long after its objects are gone, so a check on the main thread added
 * that much to the whole build's peak memory while the renderers ran. A thread's heap is returned when
 * the thread ends.
 */
import { UserError } from '../../diagnostics/errors.js';
import type { CheckedSummary } from './check.js';
import type { WorkspaceConfig } from '../config/config.js';
import { startThread } from '../../threads.js';

export type CheckThreadMessage =
  | { readonly reports: readonly CheckedSummary[] }
  | { readonly error: string; readonly exitCode?: number; readonly stack?: string };

export async function checkWorkspaceInThread(config: WorkspaceConfig): Promise<readonly CheckedSummary[]> {
  const thread = startThread('workspace/checks/check-worker', { config });
  try {
    const message = await new Promise<CheckThreadMessage>((resolve, reject) => {
      thread.once('message', resolve);
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
