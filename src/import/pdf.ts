/**
 * The PDF reader (a text layer is needed: a scan has none). pdfjs-dist gives every text item with its
 * position; rows and columns are rebuilt from x/y alone, so tables read the same with or without
 * rules, and table 三 split across pages (headers repeated or not) is just more rows.
 *
 * A table row is a line holding figures apart from other text; its labels are the text left of its
 * first figure, a little above or below it (a wrapped label is centred on its figures or starts level
 * with them), grouped into cells by overlapping x. Two figures are never joined: digits apart on a
 * line are two cells, or an unreadable one, never one number.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { isHeaderText, normalizeLabel, table3ColumnHeaders } from './labels.js';
import { ImportError, type SourceBlock, type SourceCell, type SourceDocument } from './source.js';

interface Chunk {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
}

interface Line {
  readonly page: number;
  readonly y: number;
  readonly size: number;
  readonly chunks: Chunk[];
}

/** A figure as printed in a cell: a number, maybe with a unit or 增/减, or a placeholder (/, -). */
const FIGURE = /^(?:(?:增|减|增加|减少)?[-+−－]?[\d０-９][\d０-９,，.．]*(?:万元|万|元|件|个|项|条|%)?|[/／\-－—–])$/;
const isFigure = (text: string) => FIGURE.test(text.replace(/\s+/g, ''));
const hasDigit = (text: string) => /[\d０-９]/.test(text);
const PAGE_NUMBER = /^(?:[—–\-－]\s*\d+\s*[—–\-－]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;

/** The text items of every page as chunks: runs of text, split at wide gaps and between figures. */
async function readItems(bytes: Uint8Array): Promise<Chunk[][]> {
  // pdfjs takes ownership of the buffer it is given: pass a copy.
  const task = getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 });
  let pdf;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy();
    throw new ImportError(`不是可读取的 PDF 文件（${error instanceof Error ? error.message : String(error)}）`);
  }
  try {
    const pages: Chunk[][] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const [x0, y0, , y1] = page.view;
      const content = await page.getTextContent();
      const chunks: Chunk[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a, b, , d, e, f] = item.transform as number[];
        if (Math.abs(b) > Math.abs(a) * 0.1 && Math.abs(a) > 0) continue; // rotated text (a stamp, a watermark)
        const size = Math.abs(d) || Math.abs(a);
        const x = e - x0;
        const y = y1 - y0 - (f - y0);
        // an item may hold several cells separated by spaces: split it, placing each run by its share of the width
        const perChar = item.str.length > 0 ? item.width / item.str.length : size;
        // spaces inside Chinese text (justification) stay; spaces at a figure or wider than one split cells
        const re = /\S+(?:\s(?=[^\s\d０-９])(?<=[^\s\d０-９]\s)\S+)*/g;
        for (let m = re.exec(item.str); m; m = re.exec(item.str)) {
          chunks.push({ text: m[0], x: x + m.index * perChar, right: x + (m.index + m[0].length) * perChar, y, size });
        }
      }
      pages.push(chunks);
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** Chunks on one baseline (within a fifth of the size) form a line; close chunks merge, figures never. */
function linesOf(page: number, chunks: Chunk[]): Line[] {
  const sorted = [...chunks].sort((p, q) => p.y - q.y || p.x - q.x);
  const lines: Line[] = [];
  for (const c of sorted) {
    const last = lines.at(-1);
    if (last && Math.abs(last.y - c.y) <= Math.max(1, c.size * 0.2)) last.chunks.push(c);
    else lines.push({ page, y: c.y, size: c.size, chunks: [c] });
  }
  for (const line of lines) {
    line.chunks.sort((p, q) => p.x - q.x);
    const merged: Chunk[] = [];
    for (const c of line.chunks) {
      const prev = merged.at(-1);
      const gap = prev ? c.x - prev.right : Infinity;
      const bothFigures = prev !== undefined && hasDigit(prev.text) && hasDigit(c.text) && (isFigure(prev.text) || isFigure(c.text));
      if (prev && gap < c.size * 0.2 && !(bothFigures && gap > c.size * 0.05)) {
        prev.text += gap > c.size * 0.15 && /[\x21-\x7e]$/.test(prev.text) && /^[\x21-\x7e]/.test(c.text) ? ` ${c.text}` : c.text;
        prev.right = c.right;
      } else merged.push({ ...c });
    }
    line.chunks.splice(0, line.chunks.length, ...merged);
  }
  return lines;
}

const gappy = (line: Line) => line.chunks.length >= 2;

interface DataRow {
  readonly line: Line;
  readonly firstFigureX: number;
  labels: Chunk[];
}

/** A printed row label starts with its numbering: 一、 （一） 1. — a new cell even right under another. */
const NUMBERED = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])/;

interface LabelBlock {
  left: number;
  right: number;
  chunks: Chunk[];
  /** the data row one of its chunks is printed on, if any */
  row?: DataRow;
}

/**
 * Label text gathered into cells: a chunk continues the cell above it when their x-ranges overlap and
 * it is the next line (within 1.45 sizes), unless it starts a numbered label or both lie on different
 * rows of figures.
 */
function labelBlocks(candidates: readonly { chunk: Chunk; row?: DataRow }[]): LabelBlock[] {
  const blocks: LabelBlock[] = [];
  for (const { chunk: c, row } of [...candidates].sort((p, q) => p.chunk.y - q.chunk.y || p.chunk.x - q.chunk.x)) {
    const b = NUMBERED.test(c.text)
      ? undefined
      : blocks.find((b) => {
          const last = b.chunks.at(-1)!;
          return c.x < b.right - 1 && c.right > b.left + 1 && c.y - last.y > c.size * 0.2 && c.y - last.y <= c.size * 1.45 && !(row && b.row && row !== b.row);
        });
    if (b) {
      b.chunks.push(c);
      b.left = Math.min(b.left, c.x);
      b.right = Math.max(b.right, c.right);
      b.row ??= row;
    } else blocks.push({ left: c.x, right: c.right, chunks: [c], ...(row ? { row } : {}) });
  }
  return blocks;
}

/**
 * A row's figures placed in the columns of the table's fullest rows, so that blank cells read blank:
 * undefined when any figure is not squarely in one column (then the row is left as read).
 */
function placeValues(values: Chunk[], columns: number[]): (Chunk | undefined)[] | undefined {
  const spacing = Math.min(...columns.slice(1).map((c, i) => c - columns[i]));
  const slots: (Chunk | undefined)[] = columns.map(() => undefined);
  for (const v of values) {
    const centre = (v.x + v.right) / 2;
    const k = columns.findIndex((c) => Math.abs(c - centre) < spacing * 0.25);
    if (k < 0 || slots[k]) return undefined;
    slots[k] = v;
  }
  return slots;
}

/**
 * The value columns of 表三 from its printed headers: above the first row, the header words (stacked as
 * 自然/人, 社会/公益/组织 in narrow columns) gathered like labels; all seven, left to right, or nothing.
 */
function headerColumns(lines: readonly Line[], first: DataRow): number[] | undefined {
  const size = first.line.size;
  const wanted = table3ColumnHeaders();
  // the figures start right of the row's label (its own first figure may stand in a later column)
  const valueLeft = first.labels.length > 0 ? Math.max(...first.labels.map((c) => c.right)) : first.firstFigureX - size;
  // the headers spanning several columns (申请人情况, 法人或其他组织) are left out: they would join those under them
  const chunks = lines
    .filter((l) => l.y < first.line.y && l.y > first.line.y - size * 15 && Math.abs(l.size - size) < 0.6)
    .flatMap((l) => l.chunks.filter((c) => (c.x + c.right) / 2 > valueLeft && !(isHeaderText(c.text) && !wanted.includes(normalizeLabel(c.text)))));
  const blocks = labelBlocks(chunks.map((chunk) => ({ chunk })));
  const texts = blocks.map((b) => ({ text: normalizeLabel(b.chunks.map((c) => c.text).join('')), centre: (b.left + b.right) / 2 }));
  const centres = wanted.map((h) => texts.find((t) => t.text === h)?.centre);
  if (centres.some((c) => c === undefined)) return undefined;
  return centres.every((c, i) => i === 0 || c! > centres[i - 1]!) ? (centres as number[]) : undefined;
}

export async function readPdf(bytes: Uint8Array): Promise<SourceDocument> {
  const pages = await readItems(bytes);
  if (pages.every((p) => p.length === 0)) throw new ImportError('PDF 没有文字层（可能是扫描件），无法导入：请使用带文字的 PDF、Word 或网页版本');
  const blocks: SourceBlock[] = [];
  let tableNo = 0;
  const narrative: Line[] = [];
  let lastColumns: number[] | undefined;
  const fits = (rows: readonly DataRow[], columns: number[]) => rows.every((r) => placeValues(r.line.chunks.filter((c) => c.x >= r.firstFigureX), columns) !== undefined);

  pages.forEach((chunks, p) => {
    const lines = linesOf(p + 1, chunks).filter((l) => !(l.chunks.length <= 3 && PAGE_NUMBER.test(l.chunks.map((c) => c.text).join(''))));
    const rows: DataRow[] = [];
    for (const line of lines) {
      // a figure of a table stands apart (a cell's width) from what is left of it; justified body text does not
      const figures = line.chunks.filter((c, i) => isFigure(c.text) && (i === 0 || c.x - line.chunks[i - 1].right >= c.size));
      if (gappy(line) && figures.length > 0 && figures.length === line.chunks.filter((c) => isFigure(c.text)).length) rows.push({ line, firstFigureX: figures[0].x, labels: line.chunks.filter((c) => !isFigure(c.text)) });
    }
    const used = new Set<Line>(rows.map((r) => r.line));
    // Labels: the text left of the figures, on the rows' lines and on the lines between (wrapped labels),
    // gathered into cells (labelBlocks) and each cell given to the row it is centred on or starts level with.
    const candidates: { chunk: Chunk; row?: DataRow }[] = rows.flatMap((r) => r.labels.filter((c) => c.x < r.firstFigureX).map((chunk) => ({ chunk, row: r })));
    // lines joined to the table through a chain of lines at most two sizes apart (a long label wraps to many
    // lines in a narrow column), in the table's size, left of the nearest row's figures
    const tableYs = rows.map((r) => r.line.y);
    for (let grew = rows.length > 0; grew; ) {
      grew = false;
      for (const line of lines) {
        if (used.has(line)) continue;
        const near = rows.reduce((best, r) => (Math.abs(r.line.y - line.y) < Math.abs(best.line.y - line.y) ? r : best));
        if (line.chunks.some((c) => isHeaderText(c.text))) continue; // a block title (第二十条第（五）项) between rows
        const joined = tableYs.some((y) => Math.abs(y - line.y) <= line.size * 2);
        if (joined && Math.abs(line.size - near.line.size) < 0.6 && line.chunks.every((c) => c.right <= near.firstFigureX + 1)) {
          candidates.push(...line.chunks.map((chunk) => ({ chunk })));
          used.add(line);
          tableYs.push(line.y);
          grew = true;
        }
      }
    }
    for (const r of rows) r.labels = [];
    for (const block of labelBlocks(candidates)) {
      const top = block.chunks[0].y;
      const bottom = block.chunks.at(-1)!.y;
      const size = block.chunks[0].size;
      const centre = (top + bottom) / 2;
      const owner = block.row ?? rows.filter((r) => r.line.y >= top - size * 1.5 && r.line.y <= bottom + size * 1.5).sort((p, q) => Math.abs(p.line.y - centre) - Math.abs(q.line.y - centre))[0];
      owner?.labels.push({ ...block.chunks[0], text: block.chunks.map((c) => c.text).join(''), x: block.left, right: block.right });
    }
    // the tables of this page: data rows and header lines, split where body text (a heading) comes between
    const segments: { rows: DataRow[]; headers: Line[] }[] = [];
    let open: { rows: DataRow[]; headers: Line[] } | undefined;
    const tableSize = rows.length > 0 ? rows[0].line.size : 0;
    for (const line of lines) {
      const row = rows.find((r) => r.line === line);
      if (row) {
        if (!open) segments.push((open = { rows: [], headers: [] }));
        open.rows.push(row);
      } else if (!used.has(line) && gappy(line)) {
        if (!open) segments.push((open = { rows: [], headers: [] }));
        open.headers.push(line);
        used.add(line); // a header line: kept as a row of the table, for its headers (行政复议 …)
      } else if (!used.has(line) && Math.abs(line.size - tableSize) > 0.6) open = undefined;
    }
    for (const segment of segments.filter((s) => s.rows.length > 0)) {
      const no = ++tableNo;
      const place = { page: p + 1, table: no, row: 0, column: 0 };
      const valuesOf = (r: DataRow) => r.line.chunks.filter((c) => c.x >= r.firstFigureX);
      // the value columns of this table's fullest rows (表三, 表四: equal columns), for placing rows with blank cells;
      // 表二's spanned cells (one figure over three columns) would sit on a column and must not be placed
      const counts = segment.rows.map((r) => valuesOf(r).length);
      const most = mode(counts) ?? 0;
      const model = segment.rows.find((_, i) => counts[i] === most);
      // no full row (a table of mostly blank cells): the columns of 表三's printed headers above the rows
      // (自然人 … 总计), else those found on an earlier page for the same columns
      const fromRows = most >= 7 && model ? valuesOf(model).map((c) => (c.x + c.right) / 2) : undefined;
      const fromHeaders = fromRows ? undefined : headerColumns(lines, segment.rows[0]);
      const columns = fromRows ?? fromHeaders ?? (most >= 3 && model ? valuesOf(model).map((c) => (c.x + c.right) / 2) : undefined) ?? (lastColumns && fits(segment.rows, lastColumns) ? lastColumns : undefined);
      if (fromRows || fromHeaders) lastColumns = columns;
      const table: { y: number; cells: SourceCell[]; labels: number; placed?: SourceCell[] }[] = segment.headers.map((line) => ({ y: line.y, labels: 0, cells: line.chunks.map((c) => ({ text: c.text, place })) }));
      for (const row of segment.rows) {
        const values = valuesOf(row);
        const labels = [...row.labels].sort((p, q) => p.x - q.x).map((c) => c.text);
        const cells: SourceCell[] = [
          ...labels.map((text) => ({ text, place })),
          ...values.map((v) => ({ text: v.text, place })),
        ];
        // with blank cells the row has fewer figures than columns: where each figure stands says which
        // column it is in; the interpretation takes this reading only when the official row needs it
        const placed = columns && values.length < columns.length ? placeValues(values, columns) : undefined;
        table.push({ y: row.line.y, cells, labels: labels.length, ...(placed ? { placed: placed.map((v) => ({ text: v?.text ?? '', place })) } : {}) });
      }
      table.sort((a, b) => a.y - b.y);
      blocks.push({
        kind: 'table',
        rows: table.map((r, i) => r.cells.map((c, k) => ({ ...c, place: { ...c.place, row: i + 1, column: k + 1 } }))),
        placed: new Map(table.flatMap((r, i) => (r.placed ? [[i, r.placed.map((c, k) => ({ ...c, place: { ...c.place, row: i + 1, column: r.labels + k + 1 } }))] as const] : []))),
      });
    }
    narrative.push(...lines.filter((l) => !used.has(l)));
  });

  // Narrative lines → paragraphs: a paragraph starts indented, or after a short line, or at a change of size.
  const body = narrative.filter((l) => l.size > 0);
  const xs = body.map((l) => Math.round(l.chunks[0].x));
  const left = mode(xs) ?? 0;
  const right = mode(body.map((l) => Math.round(l.chunks.at(-1)!.right))) ?? 0;
  let text = '';
  let prev: Line | undefined;
  const flush = (align?: 'right') => {
    if (text.trim()) blocks.push({ kind: 'text', text, ...(align ? { align } : {}) });
    text = '';
  };
  // text blocks go after the tables in `blocks`; interpretation reads text and tables separately
  const textStart = blocks.length;
  for (const line of narrative) {
    const x = line.chunks[0].x;
    const end = line.chunks.at(-1)!.right;
    const content = line.chunks.map((c, i) => (i > 0 && c.x - line.chunks[i - 1].right > c.size * 0.6 ? ` ${c.text}` : c.text)).join('');
    const isRight = x > left + line.size * 4 && Math.abs(end - right) < line.size * 1.5;
    const indented = x > left + line.size * 0.8;
    const prevShort = prev !== undefined && prev.chunks.at(-1)!.right < right - line.size * 1.5;
    const sizeChange = prev !== undefined && Math.abs(prev.size - line.size) > 0.6;
    if (isRight || indented || prevShort || sizeChange || prev === undefined) flush();
    text += content;
    if (isRight) flush('right');
    prev = line;
  }
  flush();
  // keep reading order sensible for messages: text first, then tables (interpretation treats them apart)
  return { kind: 'pdf', blocks: [...blocks.slice(textStart), ...blocks.slice(0, textStart)] };
}

function mode(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  let n = 0;
  for (const [v, c] of counts) if (c > n || (c === n && best !== undefined && v < best)) [best, n] = [v, c];
  return best;
}
