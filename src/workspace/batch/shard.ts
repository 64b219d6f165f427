/**
 * `--shard i/n`: CI runners split a province-sized workspace. Reports are dealt round-robin in path
 * order (report k, counting from 0, goes to shard k mod n + 1), so every shard gets a similar mix of
 * years and the slicing depends only on the file list, never on timing or the machine.
 */
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

export function inShard(position: number, shard: Shard | undefined): boolean {
  return shard === undefined || position % shard.count === shard.index - 1;
}

export function sliceShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  return items.filter((_, k) => inShard(k, shard));
}
