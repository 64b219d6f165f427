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

/**
 * Text from a user's files as a terminal may show it: control characters (ESC sequences that recolour
 * or clear the screen, a CR that overprints, a line break that forges a line such as `::error`),
 * bidi controls and zero-width characters written as `<U+001B>`. Line breaks are kept where the
 * message is ours to break (`keepLineBreaks`).
 */
export function terminalSafe(text: string, keepLineBreaks = false): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (ch) =>
    keepLineBreaks && ch === '\n' ? ch : `<U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

export function printError(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`${terminalSafe(error.message, true)}\n`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`nianbao 内部错误：${terminalSafe(detail, true)}\n请将此信息与输入文件一并报告给维护者。\n`);
  if (process.env.NIANBAO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}
