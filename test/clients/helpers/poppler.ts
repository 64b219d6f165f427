/** poppler-utils readers: a PDF's text (content-stream order), word boxes, page count, fonts, page images. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { run } from './run.js';

/** Text in content-stream order (`pdftotext -raw`), which keeps a table's cells in the order drawn. */
export async function pdfText(pdf: string, mode: 'raw' | 'layout' = 'raw'): Promise<string> {
  return (await run('pdftotext', [`-${mode}`, '-enc', 'UTF-8', pdf, '-'])).stdout;
}

export async function pdfPageCount(pdf: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [pdf]);
  const m = /^Pages:\s+(\d+)/m.exec(stdout);
  if (!m) throw new Error(`pdfinfo gave no page count for ${pdf}`);
  return Number(m[1]);
}

export interface PdfWord {
  readonly page: number;
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
  readonly text: string;
}

/** Every word with its box in PDF points (`pdftotext -bbox`), pages numbered from 1. */
export async function pdfWords(pdf: string): Promise<PdfWord[]> {
  const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', pdf, '-']);
  const html = new DOMParser().parseFromString(stdout, 'text/xml');
  const words: PdfWord[] = [];
  Array.from(html.getElementsByTagName('page')).forEach((page, i) => {
    const pageWidth = Number(page.getAttribute('width'));
    const pageHeight = Number(page.getAttribute('height'));
    for (const w of Array.from(page.getElementsByTagName('word'))) {
      const n = (a: string) => Number(w.getAttribute(a));
      words.push({ page: i + 1, pageWidth, pageHeight, xMin: n('xMin'), xMax: n('xMax'), yMin: n('yMin'), yMax: n('yMax'), text: w.textContent ?? '' });
    }
  });
  return words;
}

/** `pdffonts` rows: font name, type, embedded, subset. */
export async function pdfFonts(pdf: string): Promise<{ name: string; type: string; embedded: boolean; subset: boolean }[]> {
  const { stdout } = await run('pdffonts', [pdf]);
  return stdout
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // name, type words…, encoding, emb, sub, uni, object, id: count from the end
      return { name: cols[0], type: cols.slice(1, -6).join(' '), embedded: cols[cols.length - 5] === 'yes', subset: cols[cols.length - 4] === 'yes' };
    });
}

/** Renders every page to `<prefix>-<n>.png` at `dpi`; returns the files in page order. */
export async function pdfToPng(pdf: string, prefix: string, dpi = 60): Promise<string[]> {
  await run('pdftoppm', ['-r', String(dpi), '-png', pdf, prefix]);
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}-`) && /^-\d+\.png$/.test(f.slice(base.length)))
    .sort((a, b) => Number(/-(\d+)\.png$/.exec(a)![1]) - Number(/-(\d+)\.png$/.exec(b)![1]))
    .map((f) => path.join(dir, f));
}
