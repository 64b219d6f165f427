/**
 * Bytes → text. A report must be UTF-8; a BOM and UTF-16 with a BOM are accepted (Windows editors
 * write them). GBK, common on Chinese Windows, is recognised and named, so the clerk knows to
 * re-save the file rather than see mojibake.
 */
import { spanOn, WHOLE_FILE, type Span } from '../diagnostics/diagnostic.js';
/** A file that could not be decoded: where (the first bad byte, one character) and what is wrong, and how to fix it when that is more than the message says. */
export type Decoded = { ok: true; text: string } | { ok: false; span: Span; message: string; hint?: string };

export function decodeReport(input: string | Uint8Array): Decoded {
  if (typeof input === 'string') return { ok: true, text: input.replace(/^\uFEFF/, '') };
  const bytes = input;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), 'utf-16be');
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      const { line, col } = position(text, nul);
      const utf16 = looksUtf16(bytes);
      return { ok: false, span: spanOn(line, col), ...(utf16 ? { message: '文件似乎是没有 BOM 的 UTF-16 编码' } : { message: '文件含有 NUL 字符，不是文本文件', hint: '确认选择的是 YAML 报告文件；是报告时在编辑器中“另存为”，编码选 UTF-8' }) };
    }
    return { ok: true, text };
  } catch {
    // Locate the first byte that is not UTF-8, for the line number.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const { line, col } = position(lenient, Math.max(0, lenient.indexOf('\uFFFD')));
    if (looksUtf16(bytes)) return { ok: false, span: WHOLE_FILE, message: '文件似乎是没有 BOM 的 UTF-16 编码' };
    if (isGbk(bytes)) {
      return { ok: false, span: spanOn(line, col), message: '文件不是 UTF-8 编码（疑似 GBK，Windows 中文系统的常见默认编码）' };
    }
    return { ok: false, span: spanOn(line, col), message: '文件不是 UTF-8 编码' };
  }
}

/**
 * UTF-16 decoded strictly: a lone surrogate (half a character) or an odd byte is named with its
 * place, not turned into U+FFFD and published as such.
 */
function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    const lenient = new TextDecoder(encoding).decode(bytes);
    const { line, col } = position(lenient, Math.max(0, lenient.indexOf('\uFFFD')));
    return { ok: false, span: spanOn(line, col), message: '文件是 UTF-16 编码，但含有不完整的字符（孤立的代理码元或多余的字节），无法可靠读取', hint: '在编辑器中“另存为”，编码选 UTF-8，并核对该处的文字' };
  }
}

/** GBK when the bytes decode strictly and re-encode to themselves (round trip), with some non-ASCII. */
function isGbk(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder('gbk', { fatal: true }).decode(bytes);
    // TextEncoder cannot encode GBK; a strict decode of bytes that contain non-ASCII and no
    // replacement is the test available without a codec library. CJK must dominate the non-ASCII.
    const nonAscii = [...text].filter((ch) => ch.charCodeAt(0) > 0x7f);
    const cjk = nonAscii.filter((ch) => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(ch));
    return nonAscii.length > 0 && cjk.length / nonAscii.length > 0.8;
  } catch {
    return false;
  }
}

function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 200);
  let zeros = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros++;
  return n >= 4 && zeros / n > 0.2;
}

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, col };
}
