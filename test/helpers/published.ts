/**
 * Published-looking reports for the import robustness tests, made here from a report's data (the
 * seeds' transcriptions) and the official grids: Word-saved HTML (GBK, MsoNormal spans, &nbsp;, cells
 * split into several <p>, half-width brackets, stray spaces, 1、 numbering), CMS HTML (a layout table
 * around the report, spans and &nbsp; in cells, the vertical label broken by <br>), and a PDF made with
 * pdfmake directly, without table rules, labels at the top of their cells and table 三 crossing a page
 * without repeated headers. Each cell prints its value as the data holds it: a number, a text as
 * written (905万, 增53), blank for null.
 */
import { readFileSync } from 'node:fs';
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { officialGrid, OVERVIEW_TOPICS, SECTIONS, type EditionId, type TableId } from '../../src/format/official.js';
import type { GridCell } from '../../src/format/grid.js';
import { bundledFontFile } from '../../src/render/pdf/fonts.js';

export type Data = Record<string, unknown>;
const at = (data: unknown, dotted: string) => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
const printed = (data: Data, path: string) => {
  const v = at(data, path);
  return v === null || v === undefined ? '' : String(v);
};
const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface PublishOptions {
  /** 2021 edition printed with （六）其他处理 as one row of the given figures */
  readonly oneRowOther?: readonly (number | string)[];
}

/** The narrative as paragraphs under the official headings, as a published report prints it. */
function textParts(data: Data): { heading?: string; paragraphs: string[] }[] {
  const n = (data.narrative ?? {}) as Record<string, unknown>;
  const lines = (t: unknown) => (typeof t === 'string' ? t.split('\n') : []);
  const overview = n.overview;
  const overviewLines =
    typeof overview === 'object' && overview
      ? OVERVIEW_TOPICS.flatMap((t) => ((overview as Record<string, string>)[t.key] ? [t.heading, ...lines((overview as Record<string, string>)[t.key])] : []))
      : lines(overview);
  return [
    { paragraphs: lines(n.preface) },
    ...SECTIONS.map((s) => ({ heading: s.heading, paragraphs: s.no === 1 ? overviewLines : s.no === 5 ? lines(n.problems) : s.no === 6 ? lines(n.other) : [] })),
  ];
}

interface RowOut {
  cells: { text: string; rowSpan: number; colSpan: number; data: boolean }[];
}

/** The rows of a table with their anchors, figures printed; optionally （六） as one row (2021). */
function tableRows(edition: EditionId, table: TableId, data: Data, options: PublishOptions, label: (t: string) => string): RowOut[] {
  const grid = officialGrid(edition, table);
  const rows: RowOut[] = [];
  for (let r = 0; r < grid.rowCount; r++) {
    const anchors = grid.rows[r];
    const text = (c: GridCell) => (c.role === 'data' ? printed(data, c.path!) + (c.unit && printed(data, c.path!) !== '' && typeof at(data, c.path!) === 'number' ? c.unit : '') : label(c.text ?? ''));
    if (options.oneRowOther && anchors.some((c) => c.text === '（六）其他处理')) {
      rows.push({ cells: [{ text: label('（六）其他处理'), rowSpan: 1, colSpan: 2, data: false }, ...options.oneRowOther.map((v) => ({ text: String(v), rowSpan: 1, colSpan: 1, data: true }))] });
      r += 2;
      continue;
    }
    rows.push({
      cells: anchors.map((c) => ({
        text: text(c),
        rowSpan: options.oneRowOther && c.text === '三、本年度办理结果' ? c.rowSpan - 2 : c.rowSpan,
        colSpan: c.colSpan,
        data: c.role === 'data',
      })),
    });
  }
  return rows;
}

const title = (data: Data) => [String((data.agency as Data).name), `${String(data.year)}年政府信息公开工作年度报告`];

/** Word's 另存为网页: GBK, MsoNormal paragraphs and spans, &nbsp;, o:p, labels noisy as typed by hand. */
export function wordHtml(data: Data, options: PublishOptions = {}): string {
  const edition = data.format as EditionId;
  // half-width brackets, 1、 numbering and a stray space, as typed
  const noisy = (t: string) => t.replace(/（/g, '(').replace(/）/g, ')').replace(/^(\d)\./, '$1、').replace(/^(.{2})(.)/, '$1 $2');
  const cell = (c: RowOut['cells'][number]) => {
    const span = `${c.rowSpan > 1 ? ` rowspan=${c.rowSpan}` : ''}${c.colSpan > 1 ? ` colspan=${c.colSpan}` : ''}`;
    if (c.data) return `<td${span} style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span lang=EN-US style='font-size:10.5pt'>${c.text === '' ? '<o:p>&nbsp;</o:p>' : `&nbsp;${esc(c.text)}`}</span></p></td>`;
    // long labels split into two paragraphs, as Word saves a cell with a line break typed in it
    const parts = c.text.length > 8 ? [c.text.slice(0, 6), c.text.slice(6)] : [c.text];
    return `<td${span} style='border:solid windowtext 1.0pt'>${parts.map((p) => `<p class=MsoNormal><span style='font-family:仿宋_GB2312'>${esc(p)}</span></p>`).join('')}</td>`;
  };
  const table = (t: TableId) =>
    `<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>\n${tableRows(edition, t, data, options, noisy)
      .map((r) => ` <tr style='height:20.0pt'>${r.cells.map(cell).join('')}</tr>`)
      .join('\n')}\n</table>`;
  const body = textParts(data)
    .map((part, i) => {
      const section = i > 0 ? SECTIONS[i - 1] : undefined;
      const head = part.heading ? `<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-family:黑体'>${esc(part.heading)}<o:p></o:p></span></b></p>\n` : '';
      const paras = part.paragraphs.map((p) => `<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>${esc(p)}</span><span lang=EN-US>&nbsp;<o:p></o:p></span></p>`).join('\n');
      return head + paras + (section?.table ? `\n${table(section.table)}` : '');
    })
    .join('\n');
  const [agency, rest] = title(data);
  return `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm; font-size:10.5pt;} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1>
<p class=MsoNormal align=center style='text-align:center'><span style='font-size:22.0pt;font-family:方正小标宋简体'>${esc(agency)}</span></p>
<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='font-size:22.0pt'>${esc(rest.slice(0, 4))}</span><span style='font-size:22.0pt'>${esc(rest.slice(4))}</span></p>
${body}
<p class=MsoNormal align=right style='text-align:right'><span>${esc(agency)}</span></p>
${data.date ? `<p class=MsoNormal align=right style='text-align:right'><span>${esc(String(data.date).replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日'))}</span></p>` : ''}
</div></body></html>`;
}

/** A CMS article page: navigation, a layout table around the content, cells with spans and &nbsp;. */
export function cmsHtml(data: Data, options: PublishOptions = {}): string {
  const edition = data.format as EditionId;
  const cell = (c: RowOut['cells'][number]) => {
    const span = `${c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ''}${c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ''}`;
    // the vertical label broken one character a line, as CMS editors paste it
    const text = c.text === '三、本年度办理结果' ? [...c.text].map(esc).join('<br/>') : esc(c.text);
    return `<td${span} style="text-align:center;"><span style="font-family: 宋体; font-size: 14px;">${c.data ? `&nbsp;${text}&nbsp;` : text}</span></td>`;
  };
  const table = (t: TableId) =>
    `<table width="100%" border="1" cellspacing="0"><tbody>${tableRows(edition, t, data, options, (x) => x)
      .map((r) => `<tr>${r.cells.map(cell).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const body = textParts(data)
    .map((part, i) => {
      const section = i > 0 ? SECTIONS[i - 1] : undefined;
      return `${part.heading ? `<p style="text-indent:2em;"><strong>${esc(part.heading)}</strong></p>` : ''}${part.paragraphs.map((p) => `<p style="text-indent:2em;">&nbsp;&nbsp;${esc(p)}</p>`).join('')}${section?.table ? `<div class="tab">${table(section.table)}</div>` : ''}`;
    })
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title(data).join(''))}</title><script>var _hmt = [];</script></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<table class="layout" width="1000"><tr><td class="side"><ul><li>信息公开指南</li></ul></td><td class="main">
<h1 class="article-title">${esc(title(data).join(''))}</h1><div class="info">发布时间：2021-01-20 来源：本站</div>
<div class="TRS_Editor">${body}
<p style="text-align: right;">${esc(String((data.agency as Data).name))}</p></div>
</td></tr></table><div class="footer">主办单位：某某县人民政府办公室</div></body></html>`;
}

/** A PDF made with pdfmake directly: no rules, labels at the top of cells, table 三 over a page break without repeated headers. */
export async function unruledPdf(data: Data, pushDown = 18, options: { withoutTable3Headers?: boolean } = {}): Promise<Uint8Array> {
  const edition = data.format as EditionId;
  const vfs = (pdfmake as unknown as { virtualfs: { writeFileSync(n: string, c: Uint8Array): void } }).virtualfs;
  vfs.writeFileSync('fixture-serif.ttf', readFileSync(bundledFontFile('body')));
  pdfmake.setFonts({ Serif: { normal: 'fixture-serif.ttf', bold: 'fixture-serif.ttf', italics: 'fixture-serif.ttf', bolditalics: 'fixture-serif.ttf' } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  const table = (t: TableId): Content => {
    const all = tableRows(edition, t, data, {}, (x) => x);
    const rows = options.withoutTable3Headers && t === 'table3' ? all.slice(officialGrid(edition, t).headerRows) : all;
    const columns = officialGrid(edition, t).columns;
    const body: TableCell[][] = rows.map(() => Array.from({ length: columns }, () => ({}) as TableCell));
    const taken = rows.map(() => new Set<number>());
    rows.forEach((r, i) => {
      let col = 0;
      for (const c of r.cells) {
        while (taken[i].has(col)) col++;
        body[i][col] = { text: c.text, rowSpan: c.rowSpan, colSpan: c.colSpan, alignment: c.data ? 'center' : 'left' } as TableCell;
        for (let dr = 0; dr < c.rowSpan; dr++) for (let dc = 0; dc < c.colSpan; dc++) if (dr || dc) taken[i + dr].add(col + dc);
        col += c.colSpan;
      }
    });
    const width = t === 'table4' ? 9 : 10.5;
    return { table: { headerRows: 0, dontBreakRows: true, widths: Array.from({ length: columns }, () => '*'), body }, layout: 'noBorders', fontSize: width, margin: [0, 6, 0, 12] };
  };
  const content: Content[] = title(data).map((t) => ({ text: t, fontSize: 22, alignment: 'center' as const }));
  textParts(data).forEach((part, i) => {
    const section = i > 0 ? SECTIONS[i - 1] : undefined;
    if (part.heading) content.push({ text: part.heading, fontSize: 16, margin: [32, 6, 0, 0] });
    for (const p of part.paragraphs) content.push({ text: p, fontSize: 16, leadingIndent: 32, lineHeight: 1.4 });
    // filler paragraphs push table 三 across a page
    if (section?.table === 'table3') for (let k = 0; k < pushDown; k++) content.push({ text: '。', fontSize: 16, color: 'white' });
    if (section?.table) content.push(table(section.table));
  });
  content.push({ text: String((data.agency as Data).name), alignment: 'right', fontSize: 16, margin: [0, 24, 0, 0] });
  const def: TDocumentDefinitions = { content, defaultStyle: { font: 'Serif' }, pageSize: 'A4', pageMargins: [79, 105, 74, 98], info: { creationDate: new Date(Date.UTC(2021, 0, 1)) } };
  return pdfmake.createPdf(def).getBuffer();
}

/** Word-saved HTML as bytes: GBK, characters GBK lacks written as numeric references, as Word does. */
export function wordHtmlBytes(data: Data, options: PublishOptions = {}, encode: (text: string) => Uint8Array): Uint8Array {
  const html = wordHtml(data, options);
  let out = '';
  for (const ch of html) {
    try {
      encode(ch);
      out += ch;
    } catch {
      out += `&#${ch.codePointAt(0)};`;
    }
  }
  return encode(out);
}

const xmlEsc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A docx as WPS and Word save it by hand, not as nianbao writes it: runs split mid-word, proofing and
 * bookmark marks between them, row merges with a bare <w:vMerge/> on the continued cells, labels typed
 * in two paragraphs, the tables inside a content control (w:sdt), the 落款 right-aligned directly.
 */
export function handMadeDocx(data: Data, zip: (files: Record<string, Uint8Array>) => Uint8Array): Uint8Array {
  const edition = data.format as EditionId;
  const enc = (t: string) => new TextEncoder().encode(t);
  const runs = (text: string) =>
    [...text]
      .reduce<string[]>((parts, ch, i) => (i % 3 === 0 ? [...parts, ch] : [...parts.slice(0, -1), parts.at(-1)! + ch]), [])
      .map((part, i) => `${i === 1 ? '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="_GoBack"/>' : ''}<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">${xmlEsc(part)}</w:t></w:r>`)
      .join('');
  const p = (text: string, jc?: string) => `<w:p><w:pPr>${jc ? `<w:jc w:val="${jc}"/>` : ''}</w:pPr>${runs(text)}</w:p>`;
  const table = (t: TableId) => {
    const grid = officialGrid(edition, t);
    const rows = grid.rectangle().map((slots, r) => {
      const cells: string[] = [];
      for (let c = 0; c < slots.length; c++) {
        const slot = slots[c];
        const cell = slot.covered ? slot.by : slot.cell;
        if (cell.col !== c) continue; // covered by a column span
        const span = cell.colSpan > 1 ? `<w:gridSpan w:val="${cell.colSpan}"/>` : '';
        const merge = cell.rowSpan > 1 ? (cell.row === r ? '<w:vMerge w:val="restart"/>' : '<w:vMerge/>') : '';
        const text = cell.row !== r ? '' : cell.role === 'data' ? printed(data, cell.path!) + (cell.unit && typeof at(data, cell.path!) === 'number' ? cell.unit : '') : (cell.text ?? '');
        const paras = cell.role !== 'data' && text.length > 8 ? p(text.slice(0, 5)) + p(text.slice(5)) : p(text);
        cells.push(`<w:tc><w:tcPr>${span}${merge}</w:tcPr>${paras}</w:tc>`);
      }
      return `<w:tr>${cells.join('')}</w:tr>`;
    });
    return `<w:sdt><w:sdtPr/><w:sdtContent><w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${rows.join('')}</w:tbl></w:sdtContent></w:sdt>`;
  };
  const body = [
    ...title(data).map((t) => p(t, 'center')),
    ...textParts(data).flatMap((part, i) => {
      const section = i > 0 ? SECTIONS[i - 1] : undefined;
      return [...(part.heading ? [p(part.heading)] : []), ...part.paragraphs.map((x) => p(x)), ...(section?.table ? [table(section.table)] : [])];
    }),
    p(String((data.agency as Data).name), 'right'),
  ].join('');
  const w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  return zip({
    '[Content_Types].xml': enc('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    'word/document.xml': enc(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${w}><w:body>${body}<w:sectPr/></w:body></w:document>`),
  });
}
