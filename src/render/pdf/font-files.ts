/**
 * The bytes of font files, read once for every thread of a process. A batch build's workers each
 * parsed their own copy of the same three bundled CJK fonts (about 45 MB a worker); the main thread
 * now reads each file once into shared memory and hands the workers views of it. This module loads
 * nothing else, so the main thread can use it without loading fontkit or pdfmake.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FontRole } from '../layout.js';

const requireFromHere = createRequire(import.meta.url);

export { FONT_ROLES } from '../layout.js';

/**
 * The bundled faces by role. No 仿宋, 楷体 or 小标宋 exists as a full font on npm, so: body, tables and
 * page numbers in Noto Serif SC (a 宋体-like face), the title in its bold (小标宋 is a heavy 宋), level-1
 * headings in Noto Sans SC Medium (黑体 stand-in), level-2 headings in Noto Serif SC Bold, which keeps
 * them distinct from the body as 楷体 does.
 */
const BUNDLED: Record<FontRole, string> = {
  title: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  body: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  heading1: '@expo-google-fonts/noto-sans-sc/500Medium/NotoSansSC_500Medium.ttf',
  heading2: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  // bold 仿宋 (GB/T 9704's level 3): the bold of the body's serif, since pdfkit cannot embolden a face
  heading3: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  table: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  pageNumber: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
};

/** The bundled font file of a role, resolved in node_modules. */
export function bundledFontFile(role: FontRole): string {
  return requireFromHere.resolve(BUNDLED[role]);
}

/** The largest font file read (a full CJK collection is 20–60 MB): a bigger one is refused unread. */
export const MAX_FONT_BYTES = 128 * 1024 * 1024;

/**
 * Why a font path must not be read, checked before reading: not a regular file (a FIFO or a device would
 * block the read forever), or too large to be a font. Undefined when it may be read; a missing file or a
 * folder is left to the read, which fails at once with its own message.
 */
export function fontFileProblem(file: string): string | undefined {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return undefined;
  if (!stat.isFile()) return `不是普通文件（是${stat.isFIFO() ? '管道（FIFO）' : stat.isSocket() ? '套接字' : stat.isCharacterDevice() || stat.isBlockDevice() ? '设备' : '特殊文件'}），不能作为字体文件读取`;
  if (stat.size > MAX_FONT_BYTES) return `大小 ${Math.round(stat.size / 1024 / 1024)} MB，超过字体文件的上限 ${MAX_FONT_BYTES / 1024 / 1024} MB，不像字体文件`;
  return undefined;
}

/** Shared bytes by absolute path. */
const shared = new Map<string, Buffer>();

/**
 * Reads font files into shared memory, for `useSharedFontFiles` in other threads. A file that cannot be
 * read is left out: the thread that needs it reads it itself and reports the error as usual.
 */
export function readSharedFontFiles(files: Iterable<string>): Map<string, SharedArrayBuffer> {
  const out = new Map<string, SharedArrayBuffer>();
  for (const file of new Set([...files].map((f) => path.resolve(f)))) {
    if (fontFileProblem(file)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    const memory = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(memory).set(bytes);
    out.set(file, memory);
  }
  return out;
}

/** Makes `fontFileBytes` answer from shared memory read by another thread. */
export function useSharedFontFiles(files: ReadonlyMap<string, SharedArrayBuffer>): void {
  for (const [file, memory] of files) shared.set(file, Buffer.from(memory));
}

/** Whether another thread read this file into shared memory already (it was checked there). */
export function fontFileBytesShared(file: string): boolean {
  return shared.has(file);
}

/** A font file's bytes: from shared memory when another thread read it already, else from the disk. */
export function fontFileBytes(file: string): Buffer {
  return shared.get(file) ?? readFileSync(file);
}
