/**
 * Errors the command line reports to a person. A `CliError` carries a finished Chinese message and an
 * exit code; anything else is a defect of nianbao itself and is reported as such, still without a
 * stack trace unless NIANBAO_DEBUG is set.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

export function printError(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`nianbao 内部错误：${detail}\n请将此信息与输入文件一并报告给维护者。\n`);
  if (process.env.NIANBAO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}
