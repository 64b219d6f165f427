/**
 * The inline style sheet of the HTML output: readable on screen and on a phone (tables scroll inside
 * their own box), printable on A4 with the GB/T 9704 page of src/render/layout.ts (margins, sizes,
 * line pitch), header rows repeated and rows kept whole on each printed page. Font stacks name the
 * official faces first, then common Windows/macOS names, then the Noto CJK faces.
 */
import { GRID_CHAR_PT, HEADING_LEVELS, LINE_PITCH_PT, SIGNATURE, TABLE_CELL_PAD_PT, TABLE_CELL_PAD_Y_PT, TABLE_PITCH_EM, TABLE_SPACE_PT, OFFICIAL_FONT_NAMES, PAGE, ROLE_SIZE, TABLE_SIZE, type FontRole } from '../layout.js';

const FALLBACKS: Record<FontRole, readonly string[]> = {
  title: ['方正小标宋_GBK', 'FZXiaoBiaoSong-B05S', '华文中宋', 'STZhongsong', '宋体', 'SimSun', 'Noto Serif CJK SC', 'Source Han Serif SC', 'serif'],
  body: ['仿宋', 'FangSong', 'STFangsong', 'Noto Serif CJK SC', 'Source Han Serif SC', 'serif'],
  heading1: ['黑体', 'SimHei', 'STHeiti', 'Noto Sans CJK SC', 'Source Han Sans SC', 'sans-serif'],
  heading3: ['仿宋', 'FangSong', 'STFangsong', 'Noto Serif CJK SC', 'Source Han Serif SC', 'serif'],
  heading2: ['楷体', 'KaiTi', 'STKaiti', 'Noto Serif CJK SC', 'Source Han Serif SC', 'serif'],
  table: ['仿宋', 'FangSong', 'STFangsong', 'Noto Serif CJK SC', 'Source Han Serif SC', 'serif'],
  pageNumber: ['宋体', 'SimSun', 'Noto Serif CJK SC', 'serif'],
};

/** CSS font-family value for a role: the official face, then fallbacks (generic names unquoted). */
export function fontStack(role: FontRole): string {
  const names = [OFFICIAL_FONT_NAMES[role].eastAsia, ...FALLBACKS[role]].filter((n, i, all) => all.indexOf(n) === i);
  return names.map((n) => (/^(serif|sans-serif)$/.test(n) ? n : `"${n}"`)).join(', ');
}

/** Heading level n is h(n+1) (the title is h1), a run-in heading `span.lead-n`: face and weight from layout.ts. */
function headingRules(): string {
  return ([1, 2, 3, 4] as const)
    .map((level) => {
      const { role, bold } = HEADING_LEVELS[level];
      const face = `font-family: ${fontStack(role)}; font-weight: ${bold ? 'bold' : 'normal'};`;
      return `h${level + 1} { ${face} font-size: 1em; margin: 0; text-indent: 2em; }\n.lead-${level} { ${face} }`;
    })
    .join('\n');
}

const pt = (n: number) => `${Math.round(n * 100) / 100}pt`;

export function styleSheet(): string {
  const m = PAGE.marginMm;
  // GB/T 9704 页码: 4号 Arabic numerals between 一字线, 7 mm below the 版心; odd pages right, even pages left, 空一字.
  const pageNumber = `content: "— " counter(page) " —"; font-family: ${fontStack('pageNumber')}; font-size: ${pt(ROLE_SIZE.pageNumber)}; vertical-align: top; padding-top: ${PAGE.pageNumberBelowTextMm}mm;`;
  return `
:root { color: #000; background: #fff; }
body { margin: 0; padding: 1.5em 1em 3em; font-family: ${fontStack('body')}; font-size: 18px; line-height: 1.75; }
.report { max-width: 40em; margin: 0 auto; }
h1.title { font-family: ${fontStack('title')}; font-weight: normal; font-size: 1.6em; line-height: 1.5; text-align: center; margin: 0.5em 0 1em; }
${headingRules()}
p { margin: 0; text-align: justify; line-break: strict; overflow-wrap: anywhere; }
p.indent { text-indent: 2em; }
/* a web address breaks where the line is full, so the justified line before it is not stretched */
.url { word-break: break-all; }
/* 落款: one blank line above (GB/T 9704 7.3.5.2); each line's indent from the right is set on it */
.signature { margin-top: 1.75em; text-align: right; }
.signature p { text-align: right; }
/* agency names break only between their words (<wbr> from the emitter) */
h1.title, .signature p { word-break: keep-all; }
.table-wrap { overflow-x: auto; margin: 0.5em 0 1em; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-family: ${fontStack('table')}; font-size: 14px; line-height: ${TABLE_PITCH_EM}; margin: 0 auto; }
th, td { border: 1px solid #000; padding: 0.25em 0.3em; vertical-align: middle; text-align: center; font-weight: normal; }
th[scope="row"] { text-align: left; }
th[scope="col"], th[scope="colgroup"] { text-wrap: balance; }
th.vertical { width: 1em; text-align: center; padding: 0.3em 0.15em; }
td { font-variant-numeric: tabular-nums; }
/* column widths from the <colgroup> (the same as the PDF's and the docx's) */
table.table2, table.table3 { width: 100%; min-width: 36em; table-layout: fixed; }
table.table4 { width: 100%; min-width: 34em; table-layout: fixed; font-size: 12px; }
table.table4 th, table.table4 td { padding: 0.2em 0.1em; }
.page-break { height: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
@page :right { @bottom-right { ${pageNumber} margin-right: 1em; } }
@page :left { @bottom-left { ${pageNumber} margin-left: 1em; } }
@media print {
  body { padding: 0; font-size: ${pt(ROLE_SIZE.body)}; line-height: ${pt(LINE_PITCH_PT)}; }
  .report { max-width: none; }
  h1.title { font-size: ${pt(ROLE_SIZE.title)}; line-height: ${pt(LINE_PITCH_PT * 1.2)}; margin: 0 0 ${pt(LINE_PITCH_PT)}; }
  h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  p { orphans: 2; widows: 2; }
  /* 28 characters a line, as the docx and the PDF: each 3号 character condensed to the 版心's 28th */
  p, h2, h3, h4, h5 { letter-spacing: ${pt(GRID_CHAR_PT - ROLE_SIZE.body)}; }
  /* tables as high as the PDF's: its cell padding, line pitch and space around (layout.ts) */
  .table-wrap { margin: ${pt(TABLE_SPACE_PT.above)} 0 ${pt(TABLE_SPACE_PT.below)}; }
  th, td, table.table4 th, table.table4 td { padding-top: ${pt(TABLE_CELL_PAD_Y_PT)}; padding-bottom: ${pt(TABLE_CELL_PAD_Y_PT)}; line-height: ${TABLE_PITCH_EM}; }
  /* GB/T 9704: the 落款 never alone on a page, its lines together */
  .signature { margin-top: ${pt(SIGNATURE.blankLinesAbove * LINE_PITCH_PT)}; }
  .signature { break-before: avoid; page-break-before: avoid; break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { min-width: 0; }
  table.table2, table.table3 { font-size: ${pt(TABLE_SIZE.table3)}; }
  table.table4 { font-size: ${pt(TABLE_SIZE.table4)}; }
  /* beside the rules: the cell padding the column widths were computed with */
  table.table2 th, table.table2 td { padding-left: ${pt(TABLE_CELL_PAD_PT.table2)}; padding-right: ${pt(TABLE_CELL_PAD_PT.table2)}; }
  table.table3 th, table.table3 td { padding-left: ${pt(TABLE_CELL_PAD_PT.table3)}; padding-right: ${pt(TABLE_CELL_PAD_PT.table3)}; }
  table.table4 th, table.table4 td { padding-left: ${pt(TABLE_CELL_PAD_PT.table4)}; padding-right: ${pt(TABLE_CELL_PAD_PT.table4)}; }
  thead { display: table-header-group; }
  /* rows whole, through their cells: Chromium reads an unbreakable row as taking the rows its cells span with it,
     so the 20 rows of 三、本年度办理结果 moved to the next page as one and left half a page blank; a cell that spans
     rows may break between them */
  th, td { break-inside: avoid; page-break-inside: avoid; }
  th[rowspan], td[rowspan] { break-inside: auto; page-break-inside: auto; }
  /* a block of table 二 (its title, column headers and rows: a few lines) is not split */
  tbody.block { break-inside: avoid; page-break-inside: avoid; }
  .page-break { break-before: page; page-break-before: always; }
}
`.trim();
}
