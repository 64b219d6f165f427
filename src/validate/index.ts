/**
 * Checking one report file: decode → YAML with positions → JSON Schema of its edition (with the
 * 勾稽关系 as custom keywords) → REPORT_CHECKS → Chinese diagnostics at YAML line:col.
 */
import { readFile } from 'node:fs/promises';
import type { CheckedReport } from './types.js';

export async function checkFile(file: string): Promise<CheckedReport> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个文件夹' : `无法读取（${code ?? String(error)}）`;
    return {
      file,
      usable: false,
      diagnostics: [{ file, line: 1, col: 1, severity: 'error', rule: 'FILE', message: `${why}：${file}` }],
      locate: () => ({ line: 1, col: 1 }),
    };
  }
  return checkText(bytes, file);
}

export function checkText(input: string | Uint8Array, file: string): CheckedReport {
  void input;
  return {
    file,
    usable: false,
    diagnostics: [{ file, line: 1, col: 1, severity: 'error', rule: 'NOT-IMPLEMENTED', message: '校验尚未实现' }],
    locate: () => ({ line: 1, col: 1 }),
  };
}
