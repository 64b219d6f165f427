/**
 * Reads a PDF back for tests, with pdfjs-dist (legacy build, runs in Node without a canvas): every
 * text item with its page, position in points from the page's top-left corner, and width; page sizes;
 * document info. Text is what a reader's copy-and-paste gives, through the fonts' ToUnicode maps, so a
 * missing glyph or a wrong mapping shows up as a wrong string.
 */
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { FilledTable } from '../../src/model/document.js';
import { MM, PAGE, TEXT_AREA_MM, tableColumnFractions } from '../../src/render/layout.js';

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

/** A stroked straight line, in points from the page's top-left corner. */
export interface Rule {
  readonly page: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface ReadPdf {
  readonly pages: readonly PdfPage[];
  /** every stroked straight segment (table rules), from the pages' operator lists */
  readonly rules: readonly Rule[];
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
    const rules: Rule[] = [];
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
      rules.push(...(await strokedLines(page, n, height)));
    }
    const meta = await pdf.getMetadata();
    return { pages, rules, info: meta.info as Record<string, unknown>, items: pages.flatMap((p) => p.items) };
  } finally {
    await task.destroy();
  }
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/**
 * The straight segments a page strokes: the operator list's paths (pdfjs 5 packs each as drawing codes
 * moveTo 0 / lineTo 1 with coordinates), mapped through the current transformation matrix.
 */
async function strokedLines(page: { getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }> }, n: number, height: number): Promise<Rule[]> {
  const list = await page.getOperatorList();
  const out: Rule[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  list.fnArray.forEach((fn, i) => {
    const args = list.argsArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.constructPath && args[0] === OPS.stroke) {
      const data = (args[1] as ArrayLike<number>[])[0];
      if (!data || typeof data !== 'object' || !('length' in data)) return;
      let from: [number, number] | undefined;
      for (let k = 0; k < data.length; ) {
        const code = data[k];
        if (code === 0 || code === 1) {
          const x = data[k + 1];
          const y = data[k + 2];
          const p: [number, number] = [ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]];
          if (code === 1 && from) out.push({ page: n, x1: from[0], y1: height - from[1], x2: p[0], y2: height - p[1] });
          from = p;
          k += 3;
        } else if (code === 2) k += 7;
        else if (code === 3) k += 5;
        else k += 1;
      }
    }
  });
  return out;
}

/**
 * How much of [from, to] the horizontal rules at height `y` (± 0.3 pt) on a page cover, in points.
 */
export function horizontalCoverage(pdf: ReadPdf, page: number, y: number, from: number, to: number): number {
  const spans = pdf.rules
    .filter((r) => r.page === page && Math.abs(r.y1 - r.y2) < 0.05 && Math.abs(r.y1 - y) <= 0.3)
    .map((r) => [Math.max(from, Math.min(r.x1, r.x2)), Math.min(to, Math.max(r.x1, r.x2))] as const)
    .filter(([a, b]) => b > a)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = from;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return covered;
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

/** The 版心 in points from the page's top-left corner (GB/T 9704 margins). */
export function textArea(): { left: number; top: number; right: number; bottom: number } {
  const left = PAGE.marginMm.left * MM;
  const top = PAGE.marginMm.top * MM;
  return { left, top, right: left + TEXT_AREA_MM.width * MM, bottom: top + TEXT_AREA_MM.height * MM };
}

export interface TableRowRead {
  readonly row: number;
  readonly page: number;
  /** baseline of the row's first figure */
  readonly y: number;
  /** the rules above and below the row */
  readonly top: number;
  readonly bottom: number;
  /** lines of the row's tallest cell (distinct baselines of its text) */
  readonly lines: number;
}

export interface TableRead {
  /** text read back per anchor cell of the body (a stacked span's lines joined), keyed by `row:col` */
  readonly cells: ReadonlyMap<string, string>;
  readonly rows: readonly TableRowRead[];
  /** per page the table's body is on: the text above its first body row there (on a continuation page: the repeated header) */
  readonly headerTextByPage: ReadonlyMap<number, string>;
  /** body text items that fell into no row band */
  readonly strays: readonly TextItem[];
}

/**
 * Reads a table back from its text and rules: every body row must hold a figure (tables 三 and 四); the
 * horizontal rules above and below it bound the row's band; each text item in a band belongs to the grid
 * cell covering its column there. Column edges come from the table's shared column widths.
 */
export function readTable(pdf: ReadPdf, grid: FilledTable): TableRead {
  const area = textArea();
  const edges = [area.left];
  for (const f of tableColumnFractions(grid.id, grid)) edges.push(edges.at(-1)! + f * (area.right - area.left));
  const columnOf = (x: number) => {
    const c = edges.findIndex((edge, i) => i > 0 && x < edge) - 1;
    return c < 0 ? grid.columns - 1 : c;
  };
  const words = pdf.items.filter((item) => item.str.trim() !== '' && item.y <= area.bottom);

  // Row bands from the figures: the item showing the row's first figure.
  const rows: { row: number; page: number; y: number; size: number }[] = [];
  for (let r = grid.headerRows; r < grid.rowCount; r++) {
    const figure = grid.rows[r].find((cell) => cell.role === 'data');
    if (!figure) throw new Error(`readTable: row ${r + 1} of ${grid.id} has no figure`);
    const hits = words.filter((item) => item.str.trim() === figure.display);
    if (hits.length !== 1) throw new Error(`readTable: figure ${figure.display} (row ${r + 1}) found ${hits.length} times`);
    rows.push({ row: r, page: hits[0].page, y: hits[0].y, size: hits[0].size });
  }
  // A row's band runs between the horizontal rules above and below its figure, taken from the rules that
  // cross the last column (every row boundary does there).
  const [lastLeft, lastRight] = [edges[grid.columns - 1], edges[grid.columns]];
  const ruleYs = (page: number) =>
    pdf.rules
      .filter((r) => r.page === page && Math.abs(r.y1 - r.y2) < 0.05 && Math.min(r.x1, r.x2) <= lastLeft + 1 && Math.max(r.x1, r.x2) >= lastRight - 1)
      .map((r) => r.y1);
  const bands = rows.map((row) => {
    const ys = ruleYs(row.page);
    const top = Math.max(...ys.filter((y) => y < row.y - row.size * 0.5));
    const bottom = Math.min(...ys.filter((y) => y > row.y));
    if (!Number.isFinite(top) || !Number.isFinite(bottom)) throw new Error(`readTable: no rules around row ${row.row + 1} on page ${row.page}`);
    return { row: row.row, page: row.page, y: row.y, top, bottom };
  });

  const texts = new Map<string, string>();
  /** per row, per cell: distinct baselines */
  const baselines = new Map<number, Map<string, Set<number>>>();
  const strays: TextItem[] = [];
  const inTable = new Set<TextItem>();
  const sorted = [...words].sort((a, b) => a.page - b.page || a.y - b.y || a.x - b.x);
  for (const item of sorted) {
    const band = bands.find((b) => b.page === item.page && item.y >= b.top && item.y < b.bottom);
    if (!band) continue;
    const cell = grid.cellAt(band.row, columnOf(item.x + item.width / 2));
    const key = `${cell.row}:${cell.col}`;
    texts.set(key, (texts.get(key) ?? '') + item.str.replace(/\s+/g, ''));
    inTable.add(item);
    const byCell = baselines.get(band.row) ?? new Map<string, Set<number>>();
    const set = byCell.get(key) ?? new Set<number>();
    set.add(Math.round(item.y * 2) / 2);
    byCell.set(key, set);
    baselines.set(band.row, byCell);
  }
  // Anything between the first and last band of a page that was not assigned is a stray.
  for (const item of words) {
    if (inTable.has(item)) continue;
    const onPage = bands.filter((b) => b.page === item.page);
    if (onPage.length && item.y >= onPage[0].top && item.y < onPage.at(-1)!.bottom && item.y < area.bottom) strays.push(item);
  }

  const headerTextByPage = new Map<number, string>();
  for (const page of new Set(bands.map((b) => b.page))) {
    const first = bands.find((b) => b.page === page)!;
    const header = words
      .filter((item) => item.page === page && item.y < first.top)
      .sort((a, b) => a.y - b.y || a.x - b.x);
    headerTextByPage.set(page, header.map((item) => item.str.replace(/\s+/g, '')).join(''));
  }

  return {
    cells: texts,
    rows: bands.map((band) => ({
      row: band.row,
      page: band.page,
      y: band.y,
      top: band.top,
      bottom: band.bottom,
      lines: Math.max(0, ...[...(baselines.get(band.row)?.values() ?? [])].map((set) => set.size)),
    })),
    headerTextByPage,
    strays,
  };
}
