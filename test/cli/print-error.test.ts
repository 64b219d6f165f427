/**
 * The last word of a command: what is the user's to fix is said as it is, with its exit code; only a
 * defect of nianbao asks to be reported.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printError } from '../../src/cli/print-error.js';
import { UserError } from '../../src/diagnostics/errors.js';
import { WriteError } from '../../src/render/write.js';

describe('printError', () => {
  const written: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    written.length = 0;
  });
  const capture = () => vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));

  it('a file the machine would not let nianbao write is the user\'s to fix: its message, exit 2, no request to report it', () => {
    capture();
    expect(printError(new WriteError('/tmp/县/.vscode/tasks.json', '没有写入权限'))).toBe(2);
    expect(written.join('')).toBe('无法写入「/tmp/县/.vscode/tasks.json」：没有写入权限\n');
  });

  it('a UserError keeps its own exit code; anything else is reported as a defect, exit 70, without a stack trace', () => {
    capture();
    expect(printError(new UserError('未知选项「-x」。', 2))).toBe(2);
    expect(printError(new TypeError('x is undefined'))).toBe(70);
    expect(written.join('')).toBe('未知选项「-x」。\nnianbao 内部错误：x is undefined\n请将此信息与输入文件一并报告给维护者。\n');
  });
});
