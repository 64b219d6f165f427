/**
 * Draws a document definition whose layout paginate.ts predicted straight onto pdfkit's pages, with
 * no pdfmake pass: every line at its predicted page and y, every table row at its predicted place
 * (table.ts), the page number below each page's text and the draft watermark over it, as pdfmake
 * 0.3.11 draws them. The definition stays the one description of the document (its content, page
 * margins, footer, watermark and information); this module reads the few kinds of nodes our
 * definitions are made of, the kinds paginate.ts follows.
 */
import LineBreaker from 'linebreak';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { FontRole } from '../../layout.js';
import type { LoadedFont } from '../fonts.js';
import type { PlacedText, Prediction } from '../paginate.js';
import { drawLine, type Inline, type LineBox } from './line.js';
import { drawTable, type TableNode } from './table.js';
import { watermarkPlacement } from './watermark.js';
import { PdfWriter, type PdfInfo } from './writer.js';

/** The fields of our text nodes (lines.ts `lineNodes`, the footer) and stacks this module reads. */
interface TextNode {
  text?: string | (Partial<TextNode> & { text: string })[];
  stack?: TextNode[];
  table?: unknown;
  margin?: number[];
  font?: FontRole;
  fontSize?: number;
  lineHeight?: number;
  characterSpacing?: number;
  alignment?: 'left' | 'right' | 'center';
  leadingIndent?: number;
}

/** What a definition states that is drawn the same way on every page. */
interface PageSetup {
  readonly width: number;
  readonly height: number;
  /** left, top, right, bottom */
  readonly margins: readonly [number, number, number, number];
}

/**
 * The roles in the order pdfmake first measures text in them (DocMeasure walks the content in order,
 * then the footer is measured, then the watermark): pdfmake opens a role's font then, which numbers it.
 */
function fontOrder(content: readonly TextNode[], footerRole: FontRole, watermarkRole: FontRole | undefined): FontRole[] {
  const order = new Set<FontRole>();
  const visit = (node: TextNode) => {
    if (node.stack) node.stack.forEach(visit);
    else if (node.table) for (const row of (node as unknown as TableNode).table.body) for (const cell of row) for (const part of cell.text ?? []) order.add(part.font);
    else if (typeof node.text === 'string') order.add(node.font!);
    else if (Array.isArray(node.text)) for (const part of node.text) order.add(part.font ?? node.font!);
  };
  content.forEach(visit);
  order.add(footerRole);
  if (watermarkRole) order.add(watermarkRole);
  return [...order];
}

/** A text node's line as inlines, each taking what it does not state from the node. */
function inlinesOf(node: TextNode, fonts: Readonly<Record<FontRole, LoadedFont>>): Inline[] {
  const parts = typeof node.text === 'string' ? [{ text: node.text }] : node.text!;
  return parts.map((part) => {
    const role = part.font ?? node.font!;
    return { text: part.text, role, font: fonts[role], size: part.fontSize ?? node.fontSize!, lineHeight: part.lineHeight ?? node.lineHeight ?? 1, characterSpacing: part.characterSpacing ?? node.characterSpacing ?? 0 };
  });
}

/** pdfmake's words of a text it may wrap (TextBreaker): cut at every break opportunity (UAX #14). */
function words(text: string): string[] {
  const out: string[] = [];
  const breaker = new LineBreaker(text);
  let last = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    out.push(text.slice(last, bk.position));
    last = bk.position;
  }
  return out;
}

/** Renders the definition's pages as predicted. */
export async function drawPredicted(definition: TDocumentDefinitions, prediction: Prediction, fonts: Readonly<Record<FontRole, LoadedFont>>): Promise<Uint8Array> {
  const size = definition.pageSize as { width: number; height: number };
  const page: PageSetup = { width: size.width, height: size.height, margins: definition.pageMargins as [number, number, number, number] };
  const content = definition.content as TextNode[];
  const footer = definition.footer as (currentPage: number) => TextNode;
  const watermark = definition.watermark as { text: string; font: FontRole; color: string; opacity: number } | undefined;
  // pdfmake's createMetadata: the definition's information under PDF's capitalised keys, empty values left out
  const info: PdfInfo = { Producer: 'pdfmake', Creator: 'pdfmake' };
  for (const [key, value] of Object.entries(definition.info ?? {})) if (value) info[key.charAt(0).toUpperCase() + key.slice(1)] = value;
  const writer = new PdfWriter({
    page: { width: page.width, height: page.height },
    info,
    lang: definition.language!,
    fonts,
    fontOrder: fontOrder(content, footer(1).font!, watermark?.font),
  });
  const mark = watermark && watermarkPlacement(watermark.text, fonts[watermark.font], page);

  /** The page number below the text, and the watermark over everything (pdfmake draws them last). */
  const finishPage = (n: number) => {
    const node = footer(n);
    const margin = node.margin!;
    const box: LineBox = { x: margin[0], width: page.width - (margin[0] + margin[2]), alignment: node.alignment ?? 'left' };
    // pdfmake may wrap the page number: it is drawn a word at a time
    const inlines = inlinesOf({ ...node, text: words(node.text as string).map((text) => ({ text })) }, fonts);
    drawLine(writer, inlines, page.height - page.margins[3] + margin[1], box);
    if (mark) writer.rotatedText(watermark.font, mark.fontSize, watermark.text, mark.x, mark.y, mark.angle, watermark.color, watermark.opacity);
  };
  const toPage = (n: number) => {
    while (writer.pages < n) {
      if (writer.pages > 0) finishPage(writer.pages);
      writer.addPage();
    }
  };

  const placed = new Map<object, PlacedText>(prediction.texts.map((text) => [text.node, text]));
  const draw = (node: TextNode, box: { x: number; width: number }) => {
    const margin = node.margin;
    const inner = margin ? { x: box.x + margin[0], width: box.width - (margin[0] + margin[2]) } : box;
    if (node.stack) {
      for (const child of node.stack) draw(child, inner);
    } else if (node.table) {
      drawTable(writer, node as unknown as TableNode, prediction.tables.get(node)!, inner.x, page.margins[1], fonts, toPage);
    } else {
      const { page: at, top } = placed.get(node)!;
      toPage(at);
      drawLine(writer, inlinesOf(node, fonts), top!, { ...inner, alignment: node.alignment ?? 'left', leadingIndent: node.leadingIndent });
    }
  };
  const body = { x: page.margins[0], width: page.width - page.margins[0] - page.margins[2] };
  for (const node of content) draw(node, body);
  toPage(prediction.pages);
  finishPage(writer.pages);
  return writer.finish();
}

