/**
 * Fonts of the PDF output, one per typographic role. Out of the box they come from npm packages with
 * full TrueType files (Noto Serif SC / Noto Sans SC, OFL), so a fresh machine without system fonts
 * renders every Chinese character; a county may name its own files per role (a licensed 仿宋_GB2312,
 * the free FandolFang …).
 *
 * Each file is read and parsed once per process, and the parsed font (with the OpenType layout tables
 * fontkit decodes on first use, the bulk of the cost for a CJK face) is reused by every document:
 * pdfkit opens fonts only through `fontkit.create(bytes)`, so pdfmake is handed a small token instead of
 * the bytes (through its virtual file system: pdfmake never opens a path itself, and its local-access
 * policy can deny every path), and a font format registered with fontkit's public `registerFormat`
 * recognises the token and returns the parsed font. The same font gives the metrics for the line pitch
 * and answers glyph-coverage questions.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as fontkit from 'fontkit';
import { UserError } from '../../diagnostics/errors.js';
import { fontFileBytes, fontFileBytesShared, fontFileProblem } from './font-files.js';
import { needsGlyph } from './glyph-ranges.js';

export { bundledFontFile, FONT_ROLES } from './font-files.js';

/** A font file for one role: a path, or a collection (.ttc/.otc) with the PostScript name of the face. */
export type PdfFontFile = string | { readonly file: string; readonly face?: string };

const requireFromHere = createRequire(import.meta.url);

let fontkitOfPdfkit: typeof fontkit | undefined;

/**
 * The fontkit instance pdfkit (pdfmake's PDF writer) uses, so that fonts registered with it reach pdfkit.
 * Loaded on first use, not on import: `check` answers glyph questions for the bundled fonts from data
 * made at build time (coverage.ts) and should not pay for loading fontkit.
 */
function pdfkitFontkit(): typeof fontkit {
  if (!fontkitOfPdfkit) {
    fontkitOfPdfkit = createRequire(createRequire(requireFromHere.resolve('pdfmake')).resolve('pdfkit'))('fontkit') as typeof fontkit;
    fontkitOfPdfkit.registerFormat(ParsedFontToken);
  }
  return fontkitOfPdfkit;
}

/**
 * Tokens stand for parsed fonts: 4 magic bytes no real font format starts with, 0xFFFFFFFF where a
 * Mac dfont header would point to its resource map (so fontkit's dfont probe, which runs before ours,
 * rejects it), then the font's number.
 */
const TOKEN_MAGIC = [0x4e, 0x42, 0x46, 0x54]; // "NBFT"
const parsedByToken = new Map<number, fontkit.Font>();

function tokenFor(n: number): Uint8Array {
  const token = new Uint8Array(12);
  token.set(TOKEN_MAGIC, 0);
  new DataView(token.buffer).setUint32(4, 0xffffffff);
  new DataView(token.buffer).setUint32(8, n);
  return token;
}

function tokenNumber(buffer: Uint8Array): number | undefined {
  if (buffer.length !== 12 || TOKEN_MAGIC.some((b, i) => buffer[i] !== b)) return undefined;
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength).getUint32(8);
}

/** A fontkit "format" whose files are our tokens: constructing it returns the font parsed earlier. */
class ParsedFontToken {
  static probe(buffer: Uint8Array): boolean {
    const n = tokenNumber(buffer);
    return n !== undefined && parsedByToken.has(n);
  }
  constructor(stream: { buffer: Uint8Array }) {
    // A constructor may return another object: fontkit.create then hands pdfkit the parsed font.
    return parsedByToken.get(tokenNumber(stream.buffer)!) as unknown as ParsedFontToken;
  }
}

/** A font ready for pdfmake: its virtual-file name (holding the token), and the parsed face. */
export interface LoadedFont {
  /** absolute path of the file the user named (for messages) */
  readonly file: string;
  readonly face?: string;
  /** name under which the bytes are stored in pdfmake's virtual file system */
  readonly vfsName: string;
  readonly font: fontkit.Font;
  /**
   * The font's metrics as pdfkit scales them (`EmbeddedFont`: 1000 units per em), read once (fontkit reads
   * them from the font's tables on every access).
   */
  readonly pdfkit: PdfkitMetrics;
}

export interface PdfkitMetrics {
  /** from the font's units to 1000 per em */
  readonly scale: number;
  readonly ascender: number;
  readonly descender: number;
}

const cache = new Map<string, LoadedFont>();
let vfsCounter = 0;

/** The token of every loaded font, keyed by virtual name; registered into pdfmake's virtual file system. */
export const fontTokens = new Map<string, Uint8Array>();

function describe(file: string, face?: string): string {
  return face ? `${file}（字形 ${face}）` : file;
}

/**
 * Reads and parses a font file once per process. Throws a `UserError` naming the file when it is missing,
 * unreadable, not a font, a web font (woff/woff2: pdfkit embeds them as blank multi-megabyte pages), or a
 * collection without a usable face name.
 */
export function loadFont(spec: PdfFontFile, baseDir = process.cwd()): LoadedFont {
  const given = typeof spec === 'string' ? { file: spec } : spec;
  const file = path.resolve(baseDir, given.file);
  const key = `${file}\0${given.face ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;

  // checked before reading: a FIFO or a device would block forever, a huge file be read whole for nothing
  const problem = fontFileBytesShared(file) ? undefined : fontFileProblem(file);
  if (problem) throw new UserError(`字体文件 ${file} ${problem}`);
  let bytes: Buffer;
  try {
    bytes = fontFileBytes(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`找不到字体文件：${file}`);
    if (code === 'EISDIR') throw new UserError(`字体文件路径是一个目录，不是文件：${file}`);
    throw new UserError(`无法读取字体文件：${file}（${code ?? String(error)}）`);
  }

  let parsed: fontkit.Font | fontkit.FontCollection | null;
  try {
    parsed = pdfkitFontkit().create(bytes);
  } catch {
    throw new UserError(`无法识别字体文件：${file}。请使用 TrueType（.ttf）、OpenType（.otf）或字体集（.ttc）文件。`);
  }
  if (!parsed) throw new UserError(`无法识别字体文件：${file}。请使用 TrueType（.ttf）、OpenType（.otf）或字体集（.ttc）文件。`);
  if (parsed.type === 'WOFF' || parsed.type === 'WOFF2') {
    throw new UserError(`不支持网页字体（${parsed.type}）：${file}。请改用 TrueType（.ttf）或 OpenType（.otf）文件。`);
  }

  let font: fontkit.Font;
  if ('fonts' in parsed) {
    const faces = parsed.fonts.map((f) => f.postscriptName);
    const chosen = given.face ? parsed.fonts.find((f) => f.postscriptName === given.face) : undefined;
    if (!chosen) {
      const which = given.face ? `没有名为 ${given.face} 的字形` : '是字体集，须指定字形名称（face）';
      throw new UserError(`字体文件 ${file} ${which}。可用的字形：${faces.join('、')}`);
    }
    font = chosen;
  } else {
    font = parsed;
  }
  if (!(font.unitsPerEm > 0) || !(font.ascent - font.descent > 0)) {
    throw new UserError(`字体文件 ${describe(file, given.face)} 的字高数据（hhea）无效，无法排版。`);
  }

  reuseLayouts(font);
  reuseGlyphOutlines(font);
  const n = ++vfsCounter;
  const vfsName = `nianbao-fonts/${n}`;
  parsedByToken.set(n, font);
  fontTokens.set(vfsName, tokenFor(n));
  const scale = 1000 / font.unitsPerEm;
  const pdfkit = { scale, ascender: font.ascent * scale, descender: font.descent * scale };
  const loaded: LoadedFont = { file, face: 'fonts' in parsed ? given.face : undefined, vfsName, font, pdfkit };
  cache.set(key, loaded);
  return loaded;
}

/**
 * Shaped runs kept per font; beyond this many distinct strings the cache starts over. Labels and
 * figures recur in every report, a paragraph's lines only in the layout passes of their own report:
 * a few reports' worth is enough (a batch build's worker kept 20,000 whole lines, hundreds of MB).
 */
const MAX_RUNS = 4_000;

/** The shaped runs of each font, as `reuseLayouts` keeps them (read only: never handed to pdfkit). */
const cachedRuns = new WeakMap<fontkit.Font, (text: string) => fontkit.GlyphRun>();

/**
 * The glyph count and advance (font units) of a string as pdfkit will shape it, from the same cache,
 * without the copy pdfkit needs (it scales a run's positions in place; this only reads them).
 */
export function shapedExtent(loaded: LoadedFont, text: string): { readonly glyphs: number; readonly advanceWidth: number } {
  // every font comes through loadFont, which gives it the cache
  const run = cachedRuns.get(loaded.font)!(text);
  return { glyphs: run.glyphs.length, advanceWidth: run.advanceWidth };
}

/**
 * pdfkit's line height of a font at a size (`EmbeddedFont.lineHeight`, before pdfmake's `lineHeight`
 * factor): the one formula the layout prediction, the direct drawing and the watermark all place by.
 */
export function pdfkitLineHeight(loaded: LoadedFont, size: number): number {
  return ((loaded.pdfkit.ascender - loaded.pdfkit.descender) / 1000) * size;
}

/**
 * The width of a string as pdfkit measures it (`EmbeddedFont.widthOfString`: shaped in runs cut after
 * each space or tab, every glyph's advance scaled to 1000 units per em before it is added up), so that
 * positions worked out from it are the very numbers pdfmake worked out with pdfkit's font.
 */
export function pdfkitWidthOfString(loaded: LoadedFont, text: string, size: number): number {
  const shape = cachedRuns.get(loaded.font)!;
  const scale = loaded.pdfkit.scale;
  let advance = 0;
  let last = 0;
  for (let index = 0; index <= text.length; ) {
    const ch = text.charAt(index);
    if ((index === text.length && last < index) || ch === ' ' || ch === '\t') {
      let run = 0;
      for (const position of shape(text.slice(last, ++index)).positions as { xAdvance: number }[]) run += position.xAdvance * scale;
      advance += run;
      last = index;
    } else index++;
  }
  return advance * (size / 1000);
}

/**
 * Shapes each string once per process. pdfkit keeps shaped runs per document only, so every document
 * (and every layout pass of one) shaped the same table labels, figures and lines again through fontkit's
 * OpenType tables. The parsed font is ours (one per file, shared by all documents): its
 * `layout` answers a default-feature request from a cache with a fresh copy of the run (pdfkit scales a
 * run's positions in place), the same glyphs and positions fontkit computed.
 */
function reuseLayouts(font: fontkit.Font): void {
  const shape = font.layout.bind(font);
  const runs = new Map<string, fontkit.GlyphRun>();
  const cached = (text: string) => {
    let run = runs.get(text);
    if (!run) {
      run = shape(text);
      if (runs.size >= MAX_RUNS) runs.clear();
      runs.set(text, run);
    }
    return run;
  };
  cachedRuns.set(font, cached);
  font.layout = (text: string, ...options: unknown[]) => {
    if (options.some((option) => option != null)) return shape(text, ...options);
    const run = cached(text);
    const copy = Object.assign(Object.create(Object.getPrototypeOf(run)) as fontkit.GlyphRun, run);
    copy.glyphs = run.glyphs.slice();
    copy.positions = run.positions.map((position) => Object.assign(Object.create(Object.getPrototypeOf(position)) as object, position));
    return copy;
  };
}

/** The parts of fontkit's TrueType glyph this module reaches into (fontkit 2.0.4, pinned by pdfkit). */
interface DecodableGlyph {
  _decode(): unknown;
}
interface GlyphSource {
  getGlyph(id: number, characters?: number[]): DecodableGlyph | null;
  readonly _variationProcessor?: unknown;
}

/**
 * Decodes each glyph outline once per process. pdfkit subsets the fonts of every document with fontkit,
 * which decodes every used glyph's outline (points and all) only to see whether it is composite: about
 * a fifth of the time of a report's PDF went there, for the same few hundred glyphs each time. fontkit
 * keeps glyph objects per font, so the decoded outline is kept on the glyph; it is only read (by the
 * subsetter and the path builder). Variable fonts are left alone: their outlines depend on the variation
 * chosen.
 */
function reuseGlyphOutlines(font: fontkit.Font): void {
  const source = font as unknown as GlyphSource;
  if (source._variationProcessor || typeof source.getGlyph !== 'function') return;
  const getGlyph = source.getGlyph.bind(source);
  const done = new WeakSet<DecodableGlyph>();
  source.getGlyph = (id, characters) => {
    const glyph = getGlyph(id, characters);
    if (glyph && !done.has(glyph) && typeof glyph._decode === 'function') {
      done.add(glyph);
      const decode = glyph._decode.bind(glyph);
      let decoded: { value: unknown } | undefined;
      glyph._decode = () => (decoded ??= { value: decode() }).value;
    }
    return glyph;
  };
}

/**
 * pdfkit's line height is font-relative: (ascent − descent) / unitsPerEm × size. The `lineHeight`
 * multiplier that turns it into a fixed pitch in points for this font.
 */
export function lineHeightFor(loaded: LoadedFont, size: number, pitchPt: number): number {
  const natural = ((loaded.font.ascent - loaded.font.descent) / loaded.font.unitsPerEm) * size;
  return pitchPt / natural;
}

/** Each font's answers by code point: the checker asks about every character of a thousand reports. */
const coverageCache = new WeakMap<fontkit.Font, Map<number, boolean>>();

/** Characters of `text` the font has no glyph for (controls and spaces are not drawn and are skipped). */
export function missingGlyphs(loaded: LoadedFont, text: string): string[] {
  let known = coverageCache.get(loaded.font);
  if (!known) coverageCache.set(loaded.font, (known = new Map()));
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (!needsGlyph(cp)) continue;
    let has = known.get(cp);
    if (has === undefined) known.set(cp, (has = loaded.font.hasGlyphForCodePoint(cp)));
    if (!has) missing.add(ch);
  }
  return [...missing];
}

export function fontLabel(loaded: LoadedFont): string {
  return describe(loaded.file, loaded.face);
}
