/**
 * The code points a bundled font draws, as sorted ranges written at build time
 * (dist/glyph-coverage.json, by scripts/build-glyph-coverage.ts). `check` asks whether every character
 * of a report can be drawn; answering from these ranges instead of the font spares the command loading
 * fontkit and parsing three CJK fonts (about 0.3 s of a cold check). The answer must be the renderer's:
 * the ranges are the font's own cmap, and they are used only when the file is the one they were made
 * from (same size, same first and last 64 KB), else the font itself is asked.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../format/paths.js';

export const GLYPH_COVERAGE_FILE = path.join(packageRoot, 'dist', 'glyph-coverage.json');

/** Characters that never need a glyph: controls and spaces (the renderer draws nothing for them). */
export function needsGlyph(cp: number): boolean {
  return !(cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0));
}

/** A font's identity for the ranges: its size and a digest of its first and last 64 KB. */
export function fontFingerprint(file: string): string {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const chunk = Math.min(65536, size);
    const head = Buffer.alloc(chunk);
    const tail = Buffer.alloc(chunk);
    readSync(fd, head, 0, chunk, 0);
    readSync(fd, tail, 0, chunk, size - chunk);
    return `${size}:${createHash('sha256').update(head).update(tail).digest('hex')}`;
  } finally {
    closeSync(fd);
  }
}

/** Sorted, merged [first, last] ranges of a set of code points. */
export function toRanges(codePoints: Iterable<number>): [number, number][] {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const cp of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && cp === last[1] + 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

/** Whether a code point lies in sorted ranges (binary search). */
export function inRanges(ranges: readonly (readonly [number, number])[], cp: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[mid][0]) hi = mid - 1;
    else if (cp > ranges[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The file written at build time: per bundled font (path relative to the package), its fingerprint and ranges. */
export interface GlyphCoverageData {
  readonly [font: string]: { readonly fingerprint: string; readonly ranges: readonly (readonly [number, number])[] };
}

type Ranges = readonly (readonly [number, number])[];

/** A coverage file's table; empty when it is missing or damaged (only a slower check follows). */
function readTable(source: string): GlyphCoverageData {
  try {
    return existsSync(source) ? (JSON.parse(readFileSync(source, 'utf8')) as GlyphCoverageData) : {};
  } catch {
    return {};
  }
}

/** The table's ranges for `file`, if they were made from this very file. */
function rangesFrom(table: GlyphCoverageData, file: string): Ranges | undefined {
  const entry = table[coverageKey(file)];
  try {
    return entry && entry.fingerprint === fontFingerprint(file) ? entry.ranges : undefined;
  } catch {
    return undefined; // an unreadable font: the renderer reports it
  }
}

let shippedTable: GlyphCoverageData | undefined;
/** The shipped file's answer per font, once per process: neither the file nor the bundled fonts change while it runs. */
const shipped = new Map<string, Ranges | undefined>();

/** The ranges of a bundled font file, when the build wrote them for this very file; else undefined. */
export function prebuiltRanges(file: string, source = GLYPH_COVERAGE_FILE): Ranges | undefined {
  if (source !== GLYPH_COVERAGE_FILE) return rangesFrom(readTable(source), file);
  if (!shipped.has(file)) shipped.set(file, rangesFrom((shippedTable ??= readTable(source)), file));
  return shipped.get(file);
}

/**
 * A font's key in the file: its path inside node_modules (`@expo-google-fonts/…/x.ttf`), the same in our
 * checkout and in a county's install, where npm puts the font packages beside nianbao, not inside it.
 */
export function coverageKey(file: string): string {
  const posix = file.split(path.sep).join('/');
  const at = posix.lastIndexOf('/node_modules/');
  return at >= 0 ? posix.slice(at + '/node_modules/'.length) : path.relative(packageRoot, file).split(path.sep).join('/');
}
