import { CliError } from '../errors.js';

/** Placeholder until the command lands; fails loudly rather than pretending to work. */
export async function runCheck(_args: string[]): Promise<number> {
  throw new CliError('「check」命令尚未实现。', 2);
}
