/**
 * Errors a person can fix: a `UserError` carries a finished Chinese message and the exit code the
 * command line ends with. Raised at every layer (a font that cannot be read, a workspace setting, a
 * write that was refused), so it lives below all of them; anything else is a defect of nianbao itself
 * (see src/cli/print-error.ts).
 */
export class UserError extends Error {
  override name = 'UserError';
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

/**
 * Why a file could not be read, in Chinese, for the errors a person can act on (the path is wrong, it is
 * a folder, it may not be read); undefined for anything else, which the caller words itself.
 */
export function readFailureReason(error: unknown): string | undefined {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return '文件不存在';
    case 'EISDIR':
      return '这是一个文件夹，不是文件';
    case 'EACCES':
      return '没有读取权限';
    default:
      return undefined;
  }
}
