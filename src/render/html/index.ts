/**
 * HTML emitter: one self-contained, script-free page (inline CSS, no external request) that can be
 * read in a browser, pasted into a government CMS, or printed on A4. Tables keep the official merges
 * (rowspan/colspan from the grid anchors), `<thead>` for the grid's header rows, `th` with scope for
 * header and label cells, and every figure's `headers` naming each header cell that applies to it. Text comes from the document model as plain Unicode and is escaped here,
 * for HTML only. Deterministic: the same document gives the same bytes.
 */
import type { Block, DraftInfo, FilledCell, FilledTable, ReportDocument } from '../../model/document.js';
import { cellAnchor } from '../../model/draft-marks.js';
import { splitAtBlocks } from '../../format/grid.js';
import { signatureIndents, tableColumnFractions, verticalLabelLines } from '../layout.js';
import { headerText, signatureLines, titleLines, wordsOf } from '../words.js';
import { dataCellHeaders, headerCellId } from './headers.js';
import { styleSheet } from './css.js';
import { draftBanner, draftDataCell, draftProblemList, draftStyles } from './draft.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/**
 * A web address in running text (`https://…`, `www.…`): a run of the ASCII characters an address may hold
 * (RFC 3986: not space, `"<>\\^`{|}`), less the punctuation that ends the sentence around it.
 */
const WEB_ADDRESS = /(?:https?:\/\/|www\.)[!#-;=?-[\]_a-z~]+/g;
const SENTENCE_END = /[.,;:!?)\]'"]+$/;

/**
 * Running text as HTML, each web address in a `<span class="url">` that may break between any two of its
 * characters (css.ts). Left to the browser, a justified line before an address is stretched across its
 * width ("门　户　网　站"), because the address is one word that moves whole to the next line; the PDF
 * breaks it where the line is full, and so does this.
 */
function runningText(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const address = match[0].replace(SENTENCE_END, '');
    html += `${escapeHtml(text.slice(last, match.index))}<span class="url">${escapeHtml(address)}</span>`;
    last = match.index + address.length;
  }
  return html + escapeHtml(text.slice(last));
}

function spans(cell: FilledCell): string {
  return `${cell.rowSpan > 1 ? ` rowspan="${cell.rowSpan}"` : ''}${cell.colSpan > 1 ? ` colspan="${cell.colSpan}"` : ''}`;
}

/** What a table's cells need besides themselves: the header cells that name each figure (headers.ts), the column widths. */
interface TableContext {
  readonly table: string;
  readonly headers: ReadonlyMap<FilledCell, readonly FilledCell[]>;
  readonly fractions: readonly number[];
  readonly draft: DraftInfo | undefined;
}

function renderCell(cell: FilledCell, ctx: TableContext): string {
  // a column header in the lines the PDF and docx print (text-wrap: balance would choose the same)
  const text = cell.role === 'header' ? headerText(ctx.table, ctx.fractions, cell).split('\n').map(escapeHtml).join('<br>') : escapeHtml(cell.display);
  const id = ` id="${headerCellId(ctx.table, cell)}"`;
  switch (cell.role) {
    case 'data': {
      const names = ctx.headers.get(cell) ?? [];
      const attrs = `${spans(cell)}${names.length > 0 ? ` headers="${names.map((h) => headerCellId(ctx.table, h)).join(' ')}"` : ''}`;
      return ctx.draft ? draftDataCell(cell, text, attrs, cellAnchor(ctx.table, cell)) : `<td${attrs}>${text}</td>`;
    }
    case 'header':
    case 'block':
      return `<th${id} scope="${cell.colSpan > 1 ? 'colgroup' : 'col'}"${spans(cell)}${cell.role === 'block' ? ' class="block"' : ''}>${text}</th>`;
    case 'vertical':
      // one character a line (layout.ts), as in the docx and PDF; the whole label names the cell
      return `<th${id} scope="row"${spans(cell)} class="vertical" aria-label="${text}">${verticalLabelLines(cell.display).map(escapeHtml).join('<br>')}</th>`;
    case 'label':
      return `<th${id} scope="row"${spans(cell)}>${text}</th>`;
  }
}

function renderRows(rows: readonly (readonly FilledCell[])[], ctx: TableContext): string {
  return rows.map((cells) => `<tr>${cells.map((cell) => renderCell(cell, ctx)).join('')}</tr>`).join('\n');
}

/** The table's column widths (shared with the PDF and docx, src/render/layout.ts), held by `table-layout: fixed`. */
function colgroup(fractions: readonly number[]): string {
  const cols = fractions.map((f) => `<col style="width:${Math.round(f * 1e5) / 1e3}%">`);
  return `<colgroup>${cols.join('')}</colgroup>`;
}

function renderTable(grid: FilledTable, table: string, label: string | undefined, draft: DraftInfo | undefined): string {
  const ctx: TableContext = { table, headers: dataCellHeaders(grid), fractions: tableColumnFractions(table, grid), draft };
  const head = grid.rows.slice(0, grid.headerRows);
  // a table with blocks (table 二): one row group per block, which print keeps whole (css.ts)
  const parts = splitAtBlocks(grid);
  // the rows themselves come from the whole grid: a part numbers its rows from its own start, and a cell's
  // anchor (draft-marks.ts) must stay unique across the table
  let start = grid.headerRows;
  const body =
    parts.length > 1
      ? parts
          .map((part) => {
            const rows = grid.rows.slice(start, (start += part.rowCount));
            return `<tbody class="block">\n${renderRows(rows, ctx)}\n</tbody>`;
          })
          .join('\n')
      : `<tbody>\n${renderRows(grid.rows.slice(grid.headerRows), ctx)}\n</tbody>`;
  const name = label ? ` aria-label="${escapeHtml(label)}"` : '';
  return [
    `<div class="table-wrap" role="region"${name} tabindex="0">`,
    // border="1": still a ruled table when a CMS keeps the markup but drops the style sheet
    `<table class="${table}" border="1">`,
    // the table's name for screen readers (its section heading, shown above it already)
    label ? `<caption class="sr-only">${escapeHtml(label)}</caption>` : '',
    colgroup(ctx.fractions),
    head.length > 0 ? `<thead>\n${renderRows(head, ctx)}\n</thead>` : '',
    body,
    `</table>`,
    `</div>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A name that may break only between its words: `<wbr>` between them, `word-break: keep-all` in css.ts. */
function breakBetweenWords(text: string): string {
  return wordsOf(text).map(escapeHtml).join('<wbr>');
}

function renderBlocks(blocks: readonly Block[], draft: DraftInfo | undefined): string {
  const out: string[] = [];
  let lastHeading: string | undefined;
  for (const block of blocks) {
    switch (block.kind) {
      case 'title':
        out.push(`<h1 class="title">${titleLines(block.lines).map(breakBetweenWords).join('<br>')}</h1>`);
        break;
      case 'heading':
        if (block.level === 1) lastHeading = block.text;
        // the title is h1: level n is h(n+1)
        out.push(`<h${block.level + 1}>${escapeHtml(block.text)}</h${block.level + 1}>`);
        break;
      case 'paragraph':
        out.push(`<p${block.indent ? ' class="indent"' : ''}>${block.lead ? `<span class="lead-${block.lead.level}">${escapeHtml(block.text.slice(0, block.lead.length))}</span>${runningText(block.text.slice(block.lead.length))}` : runningText(block.text)}</p>`);
        break;
      case 'table':
        out.push(renderTable(block.grid, block.table, lastHeading, draft));
        break;
      case 'signature': {
        // each printed line (a long name broken between words) at its indent from the right (GB/T 9704
        // 7.3.5.2, layout.ts), in em: one character of the text
        const lines = signatureLines(block.lines);
        const indents = signatureIndents(lines);
        out.push(`<div class="signature">\n${lines.map((line, i) => `<p style="padding-right: ${indents[i]}em">${breakBetweenWords(line)}</p>`).join('\n')}\n</div>`);
        break;
      }
      case 'pageBreak':
        out.push('<div class="page-break" aria-hidden="true"></div>');
        break;
    }
  }
  return out.join('\n');
}

export function renderHtml(doc: ReportDocument): string {
  return `<!DOCTYPE html>
<html lang="${doc.meta.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="author" content="${escapeHtml(doc.meta.author)}">
<meta name="generator" content="nianbao">
<title>${escapeHtml(doc.meta.title)}</title>
<style>
${styleSheet()}${doc.draft ? draftStyles() : ''}
</style>
</head>
<body>
<main class="report">
${doc.draft ? `${draftBanner(escapeHtml)}\n` : ''}${renderBlocks(doc.blocks, doc.draft)}
${doc.draft ? `${draftProblemList(doc.draft, escapeHtml)}\n` : ''}</main>
</body>
</html>
`;
}
