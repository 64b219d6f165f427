/**
 * Reads a PDF back for tests, with pdfjs-dist (legacy build, runs in Node without a canvas): every
 * text item with its page, position in points from the page's top-left corner, and width; page sizes;
 * document info. Text is what a reader's copy-and-paste gives, through the fonts' ToUnicode maps, so a
 * missing glyph or a wrong mapping shows up as a wrong string.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface TextItem {
  readonly page: number;
  readonly str: string;
  /** left edge, pt from the page's left */
  readonly x: number;
  /** baseline, pt from the page's top */
  readonly y: number;
  readonly width: number;
  /** font size (the text matrix's vertical scale) */
  readonly size: number;
  readonly font: string;
}

export interface PdfPage {
  readonly number: number;
  readonly width: number;
  readonly height: number;
  readonly items: readonly TextItem[];
}

export interface ReadPdf {
  readonly pages: readonly PdfPage[];
  readonly info: Record<string, unknown>;
  /** pdfjs's font names → their PostScript names, as loaded */
  readonly items: readonly TextItem[];
}

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  // pdfjs takes ownership of the buffer it is given: pass a copy.
  const task = getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 });
  const pdf = await task.promise;
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const [x0, y0, x1, y1] = page.view;
      const height = y1 - y0;
      const content = await page.getTextContent();
      const items: TextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str === '') continue;
        const [, , , d, e, f] = item.transform as number[];
        items.push({ page: n, str: item.str, x: e - x0, y: height - (f - y0), width: item.width, size: Math.abs(d), font: item.fontName });
      }
      pages.push({ number: n, width: x1 - x0, height, items });
    }
    const meta = await pdf.getMetadata();
    return { pages, info: meta.info as Record<string, unknown>, items: pages.flatMap((p) => p.items) };
  } finally {
    await task.destroy();
  }
}

/** Items grouped into visual lines (same page, baselines within `tolerance`), left to right. */
export function visualLines(items: readonly TextItem[], tolerance = 1): { page: number; y: number; text: string; items: TextItem[] }[] {
  const sorted = [...items].sort((a, b) => a.page - b.page || a.y - b.y || a.x - b.x);
  const lines: { page: number; y: number; text: string; items: TextItem[] }[] = [];
  for (const item of sorted) {
    const line = lines.at(-1);
    if (line && line.page === item.page && Math.abs(line.y - item.y) <= tolerance) line.items.push(item);
    else lines.push({ page: item.page, y: item.y, text: '', items: [item] });
  }
  for (const line of lines) {
    line.items.sort((a, b) => a.x - b.x);
    line.text = line.items.map((i) => i.str).join('');
  }
  return lines;
}
