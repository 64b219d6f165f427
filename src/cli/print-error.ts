/**
 * The last word of a command: a `UserError`'s or a `WriteError`'s message as it is; anything else is a
 * defect of nianbao itself and is reported as such, still without a stack trace unless NIANBAO_DEBUG is set.
 */
import { UserError, terminalSafe } from '../diagnostics/errors.js';
import { WriteError } from '../render/write.js';

export function printError(error: unknown): number {
  if (error instanceof UserError) {
    process.stderr.write(`${terminalSafe(error.message, true)}\n`);
    return error.exitCode;
  }
  // a file the machine would not let us write (no permission, a full disk, a file in the way): not a defect
  if (error instanceof WriteError) {
    process.stderr.write(`${terminalSafe(error.message, true)}\n`);
    return 2;
  }
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`nianbao 内部错误：${terminalSafe(detail, true)}\n请将此信息与输入文件一并报告给维护者。\n`);
  if (process.env.NIANBAO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}
