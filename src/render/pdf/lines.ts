/**
 * Lines set by us, handed to pdfmake whole. pdfmake breaks Chinese text into one fragment per character
 * and measures, styles and draws each one: most of the cost of a PDF. Breaking a paragraph here, at the
 * same opportunities pdfmake would use (UAX #14 through the `linebreak` package, which keeps closing
 * punctuation off the start and opening punctuation off the end of a line), and giving pdfmake each line
 * as one unbreakable fragment lets it measure and draw a line at a time.
 *
 * Setting the lines ourselves also gives what pdfmake cannot: 3号 text on the 28-character line of
 * GB/T 9704 (each character condensed a little, as the docx output does) and Chinese justification
 * (the space left on a line that is not a paragraph's last is spread between its characters).
 */
import LineBreaker from 'linebreak';
import type { ContentText } from 'pdfmake/interfaces.js';
import { shapedExtent, type LoadedFont } from './fonts.js';
import { wordBoundaries } from '../words.js';

/** One line as pdfmake draws it: its text, and the spacing added after each character (PDF `Tc`). */
export interface SetLine {
  readonly text: string;
  readonly characterSpacing: number;
}

export interface LineSetting {
  /** width of the first line's indent, in points */
  readonly indent?: number;
  /** points each character gives up when lines are filled (the 28-character line) */
  readonly condense?: number;
  /** spread each line but a paragraph's last over the full width */
  readonly justify?: boolean;
  /** break between words only (an agency name in the title and the 落款), unless a word is wider than a line */
  readonly words?: boolean;
  /**
   * The text's first `length` characters drawn in another font (a run-in heading: （一）… in its level's
   * face, the rest of the line in the body's): measured in it, so a line set with them ends at the edge.
   */
  readonly lead?: { readonly length: number; readonly font: LoadedFont };
}

/** Lines may come out this much wider than the width (rounding), never more. */
const EPSILON = 1e-6;

const advancesByFont = new WeakMap<LoadedFont, (ch: string) => number>();

/**
 * A font's character advance widths in ems, each looked up in the font once per process (fontkit decodes
 * on every call). One lookup function per font, fetched once per text rather than once per character.
 */
function emAdvances(font: LoadedFont): (ch: string) => number {
  let advance = advancesByFont.get(font);
  if (!advance) {
    const known = new Map<string, number>();
    advance = (ch) => {
      let width = known.get(ch);
      if (width === undefined) known.set(ch, (width = font.font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth / font.font.unitsPerEm));
      return width;
    };
    advancesByFont.set(font, advance);
  }
  return advance;
}

/**
 * Chinese double quotation marks as CLREQ (W3C, Requirements for Chinese Text Layout) sets them: “ opens and
 * ” closes, like brackets, so a line may break before “ and after ” (never after “ or before ”). UAX #14
 * (and so `linebreak`) cannot tell an opening mark from a closing one in every language and forbids a break on
 * either side of any quotation mark, which glued 「情况”“其」 into one piece that moved whole to the next line and
 * left the line before it ragged.
 */
const BEFORE_OPENING_QUOTE = /[\p{Script=Han}”，。、；：？！）》」』】〕]/u;
const AFTER_CLOSING_QUOTE = /[\p{Script=Han}“（《「『【〔]/u;

/** Offsets in `text` where a line may break besides UAX #14's: before “ and after ” in Chinese text. */
function quoteBreaks(text: string): number[] {
  const breaks: number[] = [];
  if (!text.includes('“') && !text.includes('”')) return breaks;
  for (let i = 1; i < text.length; i++) {
    const before = text[i - 1];
    const after = text[i];
    if ((after === '“' && BEFORE_OPENING_QUOTE.test(before)) || (before === '”' && AFTER_CLOSING_QUOTE.test(after))) breaks.push(i);
  }
  return breaks;
}

/**
 * The pieces of a paragraph no line may break inside (UAX #14 opportunities, and the quotation marks'
 * `quoteBreaks`); with `words`, only those that are also word boundaries (`wordBoundaries`), so a name breaks
 * between its words.
 */
function segmentsOf(paragraph: string, words = false): string[] {
  const breaker = new LineBreaker(paragraph);
  const boundaries = words ? wordBoundaries(paragraph) : undefined;
  const positions: number[] = [];
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) positions.push(bk.position);
  // merged and sorted only when there are quotation marks: `linebreak` gives its positions in order
  const quotes = quoteBreaks(paragraph);
  const opportunities = quotes.length === 0 ? positions : [...new Set([...positions, ...quotes])].sort((a, b) => a - b);
  const segments: string[] = [];
  let last = 0;
  for (const position of opportunities) {
    if (boundaries && position < paragraph.length && !boundaries.has(position)) continue;
    if (position > last) segments.push(paragraph.slice(last, position));
    last = position;
  }
  return segments;
}

/**
 * Breaks text into lines no wider than `width` (the first line `indent` narrower). Each piece between
 * two break opportunities stays whole unless it is wider than a line by itself (a long web address),
 * which is then cut where it fills the line. Newlines end a line; spaces at a line's end do not count
 * (they stay in the text, drawn past the edge, so that pdfmake sees the same break opportunity).
 */
export function setLines(text: string, font: LoadedFont, size: number, width: number, setting: LineSetting = {}): SetLine[] {
  const condense = setting.condense ?? 0;
  const lead = setting.lead;
  const textEm = emAdvances(font);
  const leadEm = lead ? emAdvances(lead.font) : textEm;
  const leadLength = lead?.length ?? 0;
  let at = 0; // offset of the next character measured, for the lead
  // the character at `offset` (UTF-16 offset in the text) is in the lead's font if among its first characters
  const advance = (ch: string, offset = at) => (offset < leadLength ? leadEm : textEm)(ch) * size - condense;
  const widthOf = (s: string, from: number) => {
    let w = 0;
    let offset = from;
    for (const ch of s) {
      w += advance(ch, offset);
      offset += ch.length;
    }
    return w;
  };
  // the width of line `n` of the text: the first is the indent narrower
  const widthAt = (n: number) => (n === 0 ? width - (setting.indent ?? 0) : width);
  const lines: { text: string; last: boolean }[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    const room = () => widthAt(lines.length) + EPSILON;
    const endLine = (last: boolean) => {
      lines.push({ text: line, last });
      line = '';
      lineWidth = 0;
    };
    for (const segment of segmentsOf(paragraph, setting.words)) {
      // (spaces ending the segment may hang past the edge, as they do at the end of any line)
      const trimmed = segment.trimEnd();
      const visible = widthOf(trimmed, at);
      if (line !== '' && lineWidth + visible > room()) endLine(false);
      if (lineWidth + visible <= room()) {
        line += segment;
        lineWidth += trimmed.length === segment.length ? visible : widthOf(segment, at);
        at += segment.length;
        continue;
      }
      // Wider than a whole line: cut it character by character.
      for (const ch of segment) {
        const w = advance(ch);
        if (line !== '' && lineWidth + w > room()) endLine(false);
        line += ch;
        lineWidth += w;
        at += ch.length;
      }
    }
    endLine(true);
    at += 1; // the newline
  }
  let start = 0;
  return lines.map(({ text: line, last }, i) => {
    // the part of the line in the lead's font, shaped in it; the rest in the text's font
    const inLead = lead ? Math.max(0, Math.min(line.length, lead.length - start)) : 0;
    start += line.length + (last ? 1 : 0);
    const parts = inLead > 0 ? [{ text: line.slice(0, inLead), font: lead!.font }, { text: line.slice(inLead).trimEnd(), font }] : [{ text: line.trimEnd(), font }];
    return { text: line, characterSpacing: spacingOf(parts, size, widthAt(i), condense, setting.justify === true && !last) };
  });
}

/**
 * The character spacing of a line: the condensing, or, for a justified line, whatever makes its glyphs
 * (shaped as pdfkit shapes them) end exactly at the right edge.
 */
function spacingOf(parts: readonly { text: string; font: LoadedFont }[], size: number, width: number, condense: number, justify: boolean): number {
  if (!justify) return -condense;
  let glyphs = 0;
  let advance = 0;
  for (const { text, font } of parts) {
    if (text === '') continue;
    const run = shapedExtent(font, text);
    glyphs += run.glyphs;
    advance += (run.advanceWidth / font.font.unitsPerEm) * size;
  }
  const gaps = glyphs - 1;
  if (gaps < 1) return -condense;
  const left = width - advance;
  // A line cut short by an unbreakable run after it (a web address, a phone number) would be letter-spaced
  // across its width ("云 溪 县 红 椿 镇"): it is left ragged instead, as Chinese typesetting does.
  if (left > MAX_JUSTIFY_EMS * size) return -condense;
  return left / gaps;
}

/** The most a line is stretched to justify it, in ems of its size (a closing mark and a figure pushed over). */
const MAX_JUSTIFY_EMS = 2;

/** The lines of a text as plain strings (table cells: no condensing, no justification). */
export function breakLines(text: string, font: LoadedFont, size: number, width: number): string[] {
  return setLines(text, font, size, width).map((line) => line.text);
}

/**
 * Lines as pdfmake text nodes, one per line, each one unbreakable fragment carrying its text style
 * (`style`: font, size, line height, alignment). Separate nodes, because pdfmake joins two
 * fragments of one text onto one line where it sees no break opportunity between them, as at a web
 * address cut to fit. `first` goes on the first line only (the paragraph indent, a heading's level).
 */
export function lineNodes(lines: readonly SetLine[], style: object, first: object = {}, rest: object = {}): ContentText[] {
  return lines.map((line, i) => ({ ...style, ...(i === 0 ? first : rest), text: line.text, characterSpacing: line.characterSpacing, noWrap: true }));
}

/**
 * Lines of a table cell as pdfmake text: one unbreakable fragment per line, with the whole style (as
 * `lineNodes`), each but the last ending its line. An empty list gives an empty cell. (A cell's text is
 * short words: only a word wider than its column, cut to fit, could be joined again by pdfmake.)
 */
export function lineInlines(lines: readonly string[], style: object, options: { stacked?: boolean } = {}): ContentText[] {
  return lines.map((text, i) => {
    // `lineEnd` is how pdfmake marks a fragment that ends its line; it copies it from our fragment.
    const inline: ContentText & { lineEnd?: true } = { ...style, text, characterSpacing: 0, noWrap: true };
    if (i < lines.length - 1) {
      inline.lineEnd = true;
      // A stacked label's 三 would still be joined by the 、 after it: pdfmake glues the next fragment on
      // when no break may come between them, line end or not. A fragment ending in a newline, which
      // pdfmake reads as a required break (wrapping on: it is one character), ends its line for good.
      if (options.stacked) Object.assign(inline, { text: `${text}\n`, noWrap: false });
    }
    return inline;
  });
}
