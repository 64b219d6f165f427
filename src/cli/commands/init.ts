import { CliError } from '../errors.js';

/** Placeholder until the command lands; fails loudly rather than pretending to work. */
export async function runInit(_args: string[]): Promise<number> {
  throw new CliError('「init」命令尚未实现。', 2);
}
