/**
 * File and folder names made from report data (a title, an agency name, a report file name) that are
 * safe on Linux, macOS and Windows alike: no path separators or characters Windows refuses, no
 * leading or trailing dots and spaces (`..`, hidden files, names Windows silently trims), no reserved
 * device names (CON, aux.html …), and at most a fixed number of UTF-8 bytes, so that a long agency
 * name never reaches the file system's 255-byte limit (ENAMETOOLONG).
 */
import { createHash } from 'node:crypto';

/**
 * Bytes a name may take with its extension. File systems allow 255 (ext4, APFS; NTFS 255 UTF-16
 * units, which a CJK name in UTF-8 bytes never exceeds); the margin keeps a copy suffix such as
 * " (2)" a downloader adds within the limit.
 */
export const MAX_NAME_BYTES = 240;
/** The longest extension nianbao writes (`.docx`): every format of one report shares its base name. */
export const MAX_EXTENSION_BYTES = 5;
/** Bytes of an absolute path Linux accepts (PATH_MAX, the terminating NUL included). */
export const MAX_PATH_BYTES = 4095;

/** Characters Windows refuses in a name, and control characters (NUL included). */
const INVALID = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;
/** Windows device names, with or without an extension, any case (CON, aux.html, Com1, LPT9.pdf; COM¹ too). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Cuts a name to `max` UTF-8 bytes at a character boundary; a cut name ends in `~` and 8 hex digits
 * of the whole name's hash, so two long names that share their beginning stay distinct.
 */
export function capBytes(name: string, max: number): string {
  if (utf8Bytes(name) <= max) return name;
  const tag = `~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  let kept = '';
  let bytes = 0;
  for (const ch of name) {
    const size = utf8Bytes(ch);
    if (bytes + size > max - tag.length) break;
    kept += ch;
    bytes += size;
  }
  return `${kept.replace(/[\s.]+$/, '')}${tag}`;
}

/**
 * One path segment (a folder or a file name without extension) made safe; `fallback` when nothing is
 * left. `maxBytes` defaults to a base name that still takes any nianbao extension.
 */
export function safeSegment(text: string, fallback = '_', maxBytes = MAX_NAME_BYTES - MAX_EXTENSION_BYTES): string {
  let name = text.replace(INVALID, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  if (name === '') name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  return capBytes(name, maxBytes);
}
