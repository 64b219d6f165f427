/**
 * One line of text placed as pdfmake 0.3.11 places it (TextInlines.measure, Line, ElementWriter.alignLine,
 * Renderer.renderLine), from pdfkit's own measures of the font: the line's inlines side by side, the
 * leading and trailing white space cut off for alignment, the indent of a paragraph's first line, the
 * line moved right or centred in its box, and each inline's top handed to pdfkit, which finds the
 * baseline one ascender below it. The numbers are worked out in pdfmake's order, so that the PDF says
 * the same coordinates.
 */
import type { FontRole } from '../../layout.js';
import { pdfkitLineHeight, pdfkitWidthOfString, type LoadedFont } from '../fonts.js';
import type { Canvas } from './writer.js';

/** A run of text in one face and size (pdfmake's inline). */
export interface Inline {
  readonly text: string;
  readonly role: FontRole;
  readonly font: LoadedFont;
  readonly size: number;
  /** pdfmake's `lineHeight`: a multiple of the font's natural line height */
  readonly lineHeight: number;
  readonly characterSpacing: number;
}

/** Where a line goes: the left edge and width of its box, and how it sits in it. */
export interface LineBox {
  readonly x: number;
  readonly width: number;
  readonly alignment: 'left' | 'right' | 'center';
  /** a paragraph's first-line indent */
  readonly leadingIndent?: number;
}

const LEADING = /^(\s)+/;
const TRAILING = /(\s)+$/;


/** pdfmake's `widthOfText`: pdfkit's width of the string plus the spacing between its characters. */
function widthOfText(text: string, inline: Inline): number {
  return pdfkitWidthOfString(inline.font, text, inline.size) + (inline.characterSpacing || 0) * (text.length - 1);
}

/** The height pdfmake gives a line of these inlines: the tallest inline's. */
export function lineHeightOf(inlines: readonly Inline[]): number {
  let max = 0;
  for (const inline of inlines) {
    max = Math.max(max, pdfkitLineHeight(inline.font, inline.size) * inline.lineHeight);
  }
  return max;
}

/** Draws a line whose top is at `top`; returns its height. */
export function drawLine(canvas: Canvas, inlines: readonly Inline[], top: number, box: LineBox): number {
  // TextInlines.measure and Line.addInline. The widths move the inlines after the first and the line
  // (aligned right or centred); a line of one inline set from the left needs none.
  const measure = inlines.length > 1 || box.alignment !== 'left';
  let inlineWidths = 0;
  let leadingCut = 0;
  let trailingCut = 0;
  const placed = inlines.map((inline, i) => {
    let cut = i === 0 && box.leadingIndent ? -box.leadingIndent : 0;
    const leading = inline.text.match(LEADING);
    if (leading) cut += widthOfText(leading[0], inline);
    if (i === 0) leadingCut = cut || 0;
    const x = inlineWidths - leadingCut;
    if (measure) {
      const trailing = inline.text.match(TRAILING);
      trailingCut = trailing ? widthOfText(trailing[0], inline) : 0;
      inlineWidths += widthOfText(inline.text, inline);
    }
    return { inline, x };
  });
  // ElementWriter.alignLine
  const lineWidth = inlineWidths - leadingCut - trailingCut;
  let x = box.x;
  const offset = box.alignment === 'right' ? box.width - lineWidth : box.alignment === 'center' ? (box.width - lineWidth) / 2 : 0;
  if (offset) x += offset;
  // Renderer.renderLine: each inline's top shifted so that all share the line's baseline
  const lineHeight = lineHeightOf(inlines);
  let ascenderHeight = 0;
  for (const inline of inlines) ascenderHeight = Math.max(ascenderHeight, (inline.font.pdfkit.ascender / 1000) * inline.size);
  const descent = lineHeight - ascenderHeight;
  for (const { inline, x: inlineX } of placed) {
    const shiftToBaseline = lineHeight - (inline.font.pdfkit.ascender / 1000) * inline.size - descent;
    canvas.text(inline.role, inline.size, inline.text, x + inlineX, top + shiftToBaseline, inline.characterSpacing);
  }
  return lineHeight;
}
