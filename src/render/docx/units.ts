/**
 * The GB/T 9704 numbers of src/render/layout.ts converted to the units Word stores: twips (1/20 pt)
 * for lengths, half-points for font sizes. Rounded once here, so every part of the file agrees.
 */
import { LINE_PITCH_PT, MM, PAGE as P, SIZE } from '../layout.js';

export const twips = (pt: number): number => Math.round(pt * 20);
export const twipsFromMm = (mm: number): number => twips(mm * MM);
/** Word's `w:sz` is in half-points. */
export const halfPoints = (pt: number): number => Math.round(pt * 2);

export const PAGE_TWIPS = {
  width: twipsFromMm(P.widthMm),
  height: twipsFromMm(P.heightMm),
  top: twipsFromMm(P.marginMm.top),
  bottom: twipsFromMm(P.marginMm.bottom),
  left: twipsFromMm(P.marginMm.left),
  right: twipsFromMm(P.marginMm.right),
} as const;

/** The 版心 width every table fills exactly. */
export const TEXT_WIDTH_TWIPS = PAGE_TWIPS.width - PAGE_TWIPS.left - PAGE_TWIPS.right;

/** Fixed line pitch (22 lines in the 225 mm 版心), as `w:docGrid w:linePitch` and exact line spacing. */
export const LINE_PITCH_TWIPS = Math.floor(LINE_PITCH_PT * 20);

/**
 * 28 characters of 3号 text per line: a 16 pt glyph is a little wider than 156 mm / 28, so body runs are
 * condensed by this many twips (`w:spacing`, negative). Word's character grid would do the same, but
 * LibreOffice spreads text on such a grid (about 20 characters a line); condensing reads alike everywhere.
 */
export const BODY_CHAR_SPACING_TWIPS = Math.floor(TEXT_WIDTH_TWIPS / P.charsPerLine) - twips(SIZE.三号);

/**
 * Distance of the footer from the page's bottom edge: the 一字线 of the page number sits 7 mm below the
 * 版心 (FORMAT.md §6.1), i.e. the middle of the 4号 line is there.
 */
export const FOOTER_TWIPS = twipsFromMm(P.marginMm.bottom - P.pageNumberBelowTextMm) - twips(SIZE.四号 / 2);

/** One character of a given size, for 空一字 / 左空二字 in twips. */
export const charWidth = (pt: number): number => twips(pt);
