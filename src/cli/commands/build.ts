import { CliError } from '../errors.js';

/** Placeholder until the command lands; fails loudly rather than pretending to work. */
export async function runBuild(_args: string[]): Promise<number> {
  throw new CliError('「build」命令尚未实现。', 2);
}
