/**
 * `--shard i/n`: CI runners split a province-sized workspace. A report's shard is a hash of its path in
 * the workspace (`reports/2025/红椿镇.yaml`), so it depends only on that path: never on timing, the
 * machine, or which other reports exist. Townships hand in a year's reports one push at a time, each
 * sorting somewhere among the others; dealt by position, every addition moved half the later reports to
 * another shard, whose CI cache did not hold their files, and they were rendered again. By path, a report
 * stays in its shard for good, and shards are as even as a hash makes them (not exactly even).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../../diagnostics/errors.js';

export interface Shard {
  /** 1-based */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard 的值「${text}」无效：应写作「序号/总数」，序号从 1 开始且不大于总数，例如 --shard 2/4`, 2);
  }
  return { index, count };
}

/** The 1-based shard of `count` a report belongs to, by its POSIX path relative to the workspace root. */
export function shardOf(rel: string, count: number): number {
  return (createHash('sha256').update(rel).digest().readUInt32BE(0) % count) + 1;
}

export function inShard(rel: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(rel, shard.count) === shard.index;
}
