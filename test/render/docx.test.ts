/**
 * The docx emitter, read back as Word would: tables rebuilt from w:gridSpan/w:vMerge must equal the
 * grid model cell for cell; the page, fonts, page-number footers and properties follow GB/T 9704.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import type { Element } from '@xmldom/xmldom';
import type { IContext, IXmlableObject } from 'docx';
import { docxDocument, renderDocx } from '../../src/render/docx/index.js';
import { packageParts, zipPackage } from '../../src/render/docx/package.js';
import { fillWritten, placeWritten, withoutSharing, WrittenText } from '../../src/render/docx/shared.js';
import { RecentlyUsed } from '../../src/render/recently-used.js';
import { EDITION_IDS, type EditionId } from '../../src/format/official.js';
import type { FilledCell, ReportDocument } from '../../src/model/document.js';
import { GRID_CHAR_PT, signatureIndents, tableColumnFractions, verticalLabelLines } from '../../src/render/layout.js';
import { headerText } from '../../src/render/words.js';
import { buildDocument } from '../../src/model/build-document.js';
import { checkFile } from '../../src/validate/index.js';
import { distinctReport, sampleDocument } from '../helpers/sample.js';
import { all, attr, child, children, isOn, readDocx, rebuildTable, resolver, textOf, type DocxParts } from '../helpers/docx-read.js';

// Expected numbers are derived here from millimetres, independently of the emitter's own conversions.
const twipsFromMm = (mm: number) => Math.round((mm / 25.4) * 1440);
const A4 = { w: twipsFromMm(210), h: twipsFromMm(297) };
const MARGIN = { top: twipsFromMm(37), bottom: twipsFromMm(35), left: twipsFromMm(28), right: twipsFromMm(26) };
const TEXT_WIDTH = A4.w - MARGIN.left - MARGIN.right;

const rendered = new Map<EditionId, { doc: ReportDocument; bytes: Uint8Array; parts: DocxParts }>();
async function build(edition: EditionId) {
  let entry = rendered.get(edition);
  if (!entry) {
    const doc = sampleDocument(distinctReport(edition));
    const bytes = await renderDocx(doc);
    entry = { doc, bytes, parts: readDocx(bytes) };
    rendered.set(edition, entry);
  }
  return entry;
}

/** A cell's text as the docx prints it: the vertical 三、本年度办理结果 one character a line (layout.ts). */
function printed(cell: FilledCell): string {
  return cell.role === 'vertical' ? verticalLabelLines(cell.display).join('\n') : cell.display;
}

function body(parts: DocxParts): Element {
  return all(parts.xml('word/document.xml'), 'body')[0];
}

/** The top-level body paragraph whose text is exactly `text` (the last one, if several). */
function paragraphWithText(parts: DocxParts, text: string): Element {
  const found = [...children(body(parts), 'p')].reverse().find((p) => textOf(p) === text);
  if (!found) throw new Error(`no paragraph "${text}"`);
  return found;
}

describe.each(EDITION_IDS)('docx tables, %s edition', (edition) => {
  it('rebuilds every table from w:gridSpan / w:vMerge exactly as the grid model, values in place', async () => {
    const { doc, parts } = await build(edition);
    const tables = children(body(parts), 'tbl');
    const modelTables = doc.blocks.flatMap((b) => (b.kind === 'table' ? [b] : []));
    expect(tables).toHaveLength(modelTables.length);
    expect(modelTables.map((t) => t.table)).toEqual(['table2', 'table3', 'table4']);

    modelTables.forEach(({ table, grid }, t) => {
      const rebuilt = rebuildTable(tables[t]);
      expect(rebuilt.gridWidths).toHaveLength(grid.columns);
      expect(rebuilt.rows).toHaveLength(grid.rowCount);
      // column headers in the shared word-boundary lines (words.ts), as the PDF and HTML print them; the
      // vertical label one character a line
      const asPrinted = (c: FilledCell) => (c.role === 'vertical' ? printed(c) : headerText(table, tableColumnFractions(table, grid), c));
      grid.rows.forEach((anchors, r) => {
        const got = rebuilt.rows[r].map((c) => ({ row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, text: c.text }));
        const want = anchors.map((c) => ({ row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, text: asPrinted(c) }));
        expect(got, `${grid.id} row ${r + 1}`).toEqual(want);
      });
      // every figure printed, and each different (distinctReport): a swapped cell cannot pass
      const figures = grid.dataCells().map((c) => rebuilt.slots[c.row][c.col].text);
      expect(figures.every((f) => /^\d+(\.\d+)?(万元)?$/.test(f))).toBe(true);
      expect(new Set(figures).size).toBe(figures.length);
    });
  });

  it('gives explicit column and cell widths summing to the text width', async () => {
    const { parts } = await build(edition);
    for (const tbl of children(body(parts), 'tbl')) {
      const rebuilt = rebuildTable(tbl);
      expect(rebuilt.gridWidths.reduce((a, b) => a + b, 0)).toBe(TEXT_WIDTH);
      expect(rebuilt.gridWidths.every((w) => w > 300)).toBe(true);
      const tblPr = child(tbl, 'tblPr')!;
      expect(attr(child(tblPr, 'tblW'), 'w')).toBe(String(TEXT_WIDTH));
      expect(attr(child(tblPr, 'tblLayout'), 'type')).toBe('fixed');
      for (const row of rebuilt.rows) {
        for (const cell of row) {
          const tcW = child(child(cell.tc, 'tcPr')!, 'tcW');
          const spanned = rebuilt.gridWidths.slice(cell.col, cell.col + cell.colSpan).reduce((a, b) => a + b, 0);
          expect(attr(tcW, 'type')).toBe('dxa');
          expect(Number(attr(tcW, 'w'))).toBe(spanned);
        }
      }
    }
  });

  it('repeats the header rows, keeps rows whole, centres cells vertically and figures horizontally', async () => {
    const { doc, parts } = await build(edition);
    const tables = children(body(parts), 'tbl');
    const modelTables = doc.blocks.flatMap((b) => (b.kind === 'table' ? [b] : []));
    modelTables.forEach(({ grid }, t) => {
      const rebuilt = rebuildTable(tables[t]);
      rebuilt.trs.forEach((tr, r) => {
        const trPr = child(tr, 'trPr');
        expect(isOn(trPr, 'cantSplit'), `${grid.id} row ${r + 1} cantSplit`).toBe(true);
        expect(isOn(trPr, 'tblHeader'), `${grid.id} row ${r + 1} tblHeader`).toBe(r < grid.headerRows);
      });
      for (const cell of grid.rows.flat()) {
        const tc = rebuilt.slots[cell.row][cell.col].tc;
        expect(attr(child(child(tc, 'tcPr')!, 'vAlign'), 'val')).toBe('center');
        const jc = resolver(parts).pAttr(child(tc, 'p')!, 'jc', 'val');
        if (cell.role === 'data' || cell.role === 'header') expect(jc).toBe('center');
        if (cell.role === 'label') expect(jc).toBe('left');
      }
    });
    // table 三 and 四 have header rows at all (so the repeat is really exercised)
    expect(modelTables.find((b) => b.table === 'table3')!.grid.headerRows).toBeGreaterThan(0);
  });

  it('keeps the header rows and the rows the vertical 三、本年度办理结果 label needs on one page', async () => {
    const { doc, parts } = await build(edition);
    const tables = children(body(parts), 'tbl');
    const t3 = doc.blocks.flatMap((b) => (b.kind === 'table' ? [b] : [])).findIndex((b) => b.table === 'table3');
    const grid = (doc.blocks.filter((b) => b.kind === 'table')[t3] as Extract<(typeof doc.blocks)[number], { kind: 'table' }>).grid;
    const vertical = grid.rows.flat().find((c) => c.role === 'vertical')!;
    // a merged cell's text is not carried over a page break: one row per character must stay together
    const keptThrough = vertical.row + [...vertical.display].length - 2;
    const rebuilt = rebuildTable(tables[t3]);
    const res = resolver(parts);
    rebuilt.trs.forEach((tr, r) => {
      const keeps = all(tr, 'p').map((p) => res.pOn(p, 'keepNext'));
      if (r < grid.headerRows || (r >= vertical.row && r <= keptThrough)) expect(keeps.every(Boolean), `row ${r + 1}`).toBe(true);
      // no chain from the header to the label's group (it moved the whole table and left half a page blank)
      else if (r < vertical.row) expect(keeps.some(Boolean), `row ${r + 1}`).toBe(false);
    });
    const last = rebuilt.trs.at(-1)!;
    expect(all(last, 'p').some((p) => res.pOn(p, 'keepNext'))).toBe(false);
  });

  it('sets table text in 五号 (tables 二, 三) and 小五 (table 四), table font, zh-CN', async () => {
    const { parts } = await build(edition);
    const res = resolver(parts);
    const sizes = children(body(parts), 'tbl').map((tbl) => {
      const styles = all(tbl, 'p').flatMap((p) => all(p, 'r').map((r) => res.run(p, r)));
      expect(styles.length).toBeGreaterThan(0);
      for (const s of styles) {
        expect(s.eastAsia).toBe('仿宋_GB2312');
        expect(s.ascii).toBe('Times New Roman');
        expect(s.langEastAsia).toBe('zh-CN');
      }
      return [...new Set(styles.map((s) => s.size))];
    });
    expect(sizes).toEqual([[21], [21], [18]]);
  });
});

const examplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/reports');
const examples = readdirSync(examplesDir).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('docx of the example reports', () => {
  it('has examples to read', () => expect(examples.length).toBeGreaterThan(0));

  it.each(examples)('%s: every table rebuilt from the docx equals its filled grid', async (name) => {
    const checked = await checkFile(path.join(examplesDir, name));
    expect(checked.report, checked.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
    const doc = buildDocument(checked.report!);
    const parts = readDocx(await renderDocx(doc));
    const tables = children(body(parts), 'tbl');
    const modelTables = doc.blocks.flatMap((b) => (b.kind === 'table' ? [b] : []));
    expect(tables).toHaveLength(modelTables.length);
    modelTables.forEach(({ table, grid }, t) => {
      const rebuilt = rebuildTable(tables[t]);
      // a column header prints the lines every format shares (words.ts), the vertical label one character a line
      const fractions = tableColumnFractions(table, grid);
      const got = rebuilt.rows.flat().map((c) => [c.row, c.col, c.rowSpan, c.colSpan, c.text]);
      const want = grid.rows.flat().map((c) => [c.row, c.col, c.rowSpan, c.colSpan, c.role === 'vertical' ? printed(c) : headerText(table, fractions, c)]);
      expect(got, grid.id).toEqual(want);
    });
    expect(parts.xml('docProps/core.xml').getElementsByTagNameNS('http://purl.org/dc/elements/1.1/', 'title')[0]?.textContent).toBe(doc.meta.title);
    expect(parts.xml('docProps/core.xml').getElementsByTagNameNS('http://purl.org/dc/elements/1.1/', 'language')[0]?.textContent).toBe('zh-CN');
  });
});

describe('docx page and typography', () => {
  it('has an A4 section with the GB/T 9704 margins and page numbering from 1', async () => {
    const { parts } = await build('2021');
    const sectPr = child(body(parts), 'sectPr')!;
    const pgSz = child(sectPr, 'pgSz');
    expect([attr(pgSz, 'w'), attr(pgSz, 'h')]).toEqual([String(A4.w), String(A4.h)]);
    const pgMar = child(sectPr, 'pgMar');
    for (const side of ['top', 'bottom', 'left', 'right'] as const) expect(Number(attr(pgMar, side)), side).toBe(MARGIN[side]);
    expect(attr(child(sectPr, 'pgNumType'), 'start')).toBe('1');
    // the footer sits below the 版心, inside the bottom margin
    expect(Number(attr(pgMar, 'footer'))).toBeLessThan(MARGIN.bottom);
    expect(Number(attr(pgMar, 'footer'))).toBeGreaterThan(twipsFromMm(15));
  });

  it('puts `— PAGE —` in 4号 宋体 on odd pages right and even pages left', async () => {
    const { parts } = await build('2021');
    const settings = parts.xml('word/settings.xml');
    expect(all(settings, 'evenAndOddHeaders')).toHaveLength(1);
    const sectPr = child(body(parts), 'sectPr')!;
    const rels = parts.xml('word/_rels/document.xml.rels');
    const target = (id: string) => {
      const rel = Array.from(rels.getElementsByTagName('Relationship')).find((r) => r.getAttribute('Id') === id);
      return `word/${rel!.getAttribute('Target')}`;
    };
    const refs = new Map(children(sectPr, 'footerReference').map((f) => [attr(f, 'type'), target(f.getAttributeNS('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'id')!)]));
    expect([...refs.keys()].sort()).toEqual(['default', 'even']);
    for (const [type, part] of refs) {
      const ftr = parts.xml(part);
      const p = all(ftr, 'p')[0];
      // a PAGE field with a stored result: the first page the footer appears on (odd 1, even 2), for
      // viewers that do not compute fields; Word, WPS and LibreOffice compute each page's own
      const fields = all(ftr, 'fldSimple');
      expect(fields.map((f) => attr(f, 'instr'))).toEqual(['PAGE']);
      expect(all(ftr, 'fldChar')).toHaveLength(0);
      const stored = type === 'default' ? '1' : '2';
      expect(textOf(fields[0])).toBe(stored);
      expect(textOf(p)).toBe(`— ${stored} —`);
      const res = resolver(parts);
      expect(res.pAttr(p, 'jc', 'val')).toBe(type === 'default' ? 'right' : 'left');
      for (const r of all(p, 'r')) expect(res.run(p, r)).toMatchObject({ eastAsia: '宋体', ascii: '宋体', size: 28, langEastAsia: 'zh-CN' });
    }
  });

  it('sets each role in its face and size, East Asian and Latin separately', async () => {
    const { doc, parts } = await build('2021');
    const res = resolver(parts);
    const title = doc.blocks.find((b) => b.kind === 'title')!;
    if (title.kind !== 'title') throw new Error();
    expect(title.lines).toHaveLength(2);
    for (const line of title.lines) {
      const p = children(body(parts), 'p').find((el) => textOf(el) === line)!;
      expect(res.pAttr(p, 'jc', 'val')).toBe('center');
      expect(res.run(p)).toMatchObject({ eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman', size: 44, langEastAsia: 'zh-CN' });
    }
    const expectations = [
      { kind: 'heading', level: 1, face: '黑体', outline: '0' },
      { kind: 'heading', level: 2, face: '楷体_GB2312', outline: '1' },
      { kind: 'paragraph', face: '仿宋_GB2312', outline: undefined },
    ] as const;
    for (const e of expectations) {
      const blocks = doc.blocks.filter((b) => b.kind === e.kind && (b.kind !== 'heading' || b.level === ('level' in e ? e.level : 0)));
      expect(blocks.length).toBeGreaterThan(0);
      for (const b of blocks) {
        const p = paragraphWithText(parts, 'text' in b ? b.text : '');
        for (const r of all(p, 'r')) expect(res.run(p, r)).toMatchObject({ eastAsia: e.face, ascii: 'Times New Roman', hAnsi: 'Times New Roman', size: 32, langEastAsia: 'zh-CN' });
        // 左空二字, justified; headings are outline levels (Word's navigation pane)
        expect(res.pAttr(p, 'ind', 'firstLineChars')).toBe('200');
        expect(res.pAttr(p, 'jc', 'val')).toBe('both');
        expect(res.pAttr(p, 'outlineLvl', 'val')).toBe(e.outline);
        // headings keep with what follows, and so does the paragraph before the 落款 (never alone on a page)
        // (a text printed twice, such as 无, is found once: its keep is asserted where it is unambiguous)
        const beforeSignature = doc.blocks[doc.blocks.indexOf(b) + 1]?.kind === 'signature';
        const printedOnce = doc.blocks.filter((o) => 'text' in o && 'text' in b && o.text === b.text).length === 1;
        if (printedOnce) expect(res.pOn(p, 'keepNext')).toBe(e.kind === 'heading' || beforeSignature);
        if (e.kind === 'paragraph') expect(res.pOn(p, 'widowControl')).toBe(true);
      }
    }
    const signature = doc.blocks.find((b) => b.kind === 'signature')!;
    if (signature.kind !== 'signature') throw new Error();
    const indents = signatureIndents(signature.lines);
    expect(indents[0]).toBeGreaterThanOrEqual(2);
    for (const [i, line] of signature.lines.entries()) {
      const p = paragraphWithText(parts, line);
      expect(res.pAttr(p, 'jc', 'val')).toBe('right');
      // 右空二字 at least, the date two characters right of the agency (GB/T 9704 7.3.5.2), in characters of the 28-character line
      expect(res.pAttr(p, 'ind', 'right')).toBe(String(Math.round(indents[i] * GRID_CHAR_PT * 20)));
      expect(res.run(p)).toMatchObject({ eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', size: 32, langEastAsia: 'zh-CN' });
    }
    // the document default is the body face, for text Word users type into the file
    const styles = parts.xml('word/styles.xml');
    const defaults = all(all(styles, 'docDefaults')[0], 'rPr')[0];
    const fonts = child(defaults, 'rFonts');
    expect([attr(fonts, 'eastAsia'), attr(child(defaults, 'sz'), 'val'), attr(child(defaults, 'lang'), 'eastAsia')]).toEqual(['仿宋_GB2312', '32', 'zh-CN']);
  });

  it('gives every run of the body and the footers a role\'s faces, size and zh-CN, from its paragraph style', async () => {
    const { parts } = await build('2019');
    const res = resolver(parts);
    const paragraphs = [parts.xml('word/document.xml'), parts.xml('word/footer1.xml'), parts.xml('word/footer2.xml')].flatMap((x) => all(x, 'p'));
    let runs = 0;
    for (const p of paragraphs) {
      for (const r of all(p, 'r')) {
        runs++;
        const got = res.run(p, r);
        expect(got.eastAsia && got.ascii && got.hAnsi, textOf(p)).toBeTruthy();
        expect(got.size).toBeGreaterThan(0);
        expect(got.langEastAsia).toBe('zh-CN');
        // the role comes from a named style of this report, not from Word's Normal
        if (textOf(p) !== '') expect(res.styleChain(p)[0]).toMatch(/^Nb/);
      }
    }
    expect(runs).toBeGreaterThan(300);
  });

  it('fixes the line pitch at 22 lines and the body at 28 characters per line', async () => {
    const { doc, parts } = await build('2021');
    const res = resolver(parts);
    const textHeight = twipsFromMm(297 - 37 - 35);
    const bodyBlocks = doc.blocks.filter((b) => b.kind === 'paragraph' || b.kind === 'heading');
    for (const b of bodyBlocks) {
      const p = paragraphWithText(parts, 'text' in b ? b.text : '');
      expect(res.pAttr(p, 'spacing', 'lineRule')).toBe('exact');
      const pitch = Number(res.pAttr(p, 'spacing', 'line'));
      expect(22 * pitch).toBeLessThanOrEqual(textHeight);
      expect(23 * pitch).toBeGreaterThan(textHeight);
      const run = res.run(p);
      const advance = run.size * 10 + Number(run.spacing ?? 0); // twips per full-width character
      expect(28 * advance).toBeLessThanOrEqual(TEXT_WIDTH);
      expect(29 * advance).toBeGreaterThan(TEXT_WIDTH);
    }
  });

  it('honours per-role font overrides and keeps the other defaults', async () => {
    const doc = sampleDocument(distinctReport('2021'));
    const parts = readDocx(await renderDocx(doc, { fonts: { body: { eastAsia: '仿宋' }, title: { eastAsia: '华文中宋', latin: 'Arial' }, pageNumber: { latin: 'Times New Roman' } } }));
    const res = resolver(parts);
    const para = doc.blocks.find((b) => b.kind === 'paragraph')!;
    const title = doc.blocks.find((b) => b.kind === 'title')!;
    const heading = doc.blocks.find((b) => b.kind === 'heading')!;
    if (para.kind !== 'paragraph' || title.kind !== 'title' || heading.kind !== 'heading') throw new Error();
    expect(res.run(paragraphWithText(parts, para.text))).toMatchObject({ eastAsia: '仿宋', ascii: 'Times New Roman' });
    expect(res.run(children(body(parts), 'p').find((el) => textOf(el) === title.lines[0])!)).toMatchObject({ eastAsia: '华文中宋', ascii: 'Arial', hAnsi: 'Arial' });
    expect(res.run(paragraphWithText(parts, heading.text))).toMatchObject({ eastAsia: '黑体' });
    const tableParagraph = all(children(body(parts), 'tbl')[0], 'p')[0];
    expect(res.run(tableParagraph).eastAsia).toBe('仿宋_GB2312');
    const footer = all(parts.xml('word/footer1.xml'), 'p')[0];
    expect(res.run(footer)).toMatchObject({ eastAsia: '宋体', ascii: 'Times New Roman' });
  });
});

describe('docx text', () => {
  it('keeps any paragraph text (escaped, line breaks as w:br), dropping only control characters XML cannot hold', async () => {
    const base = sampleDocument(distinctReport('2021'), 0);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), async (raw, plain) => {
        // NEL, LS and PS never reach an emitter (the model ends a paragraph there: test/render/html.test.ts), and
        // the XML reader here (xmldom) would read NEL and LS back as line ends
        const text = `甲${raw}乙${plain}`.replace(/[\u0085\u2028\u2029]/g, '');
        const doc: ReportDocument = { ...base, blocks: [...base.blocks, { kind: 'paragraph', text, indent: true }] };
        const parts = readDocx(await renderDocx(doc)); // strict parse: throws on invalid XML
        const last = children(body(parts), 'p').at(-1)!;
        // eslint-disable-next-line no-control-regex
        const expected = text
          .replace(/\r\n?/g, '\n')
          .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
          .replace(/[\uD800-\uDFFF]/gu, '\uFFFD'); // a lone surrogate cannot be UTF-8: the encoder writes U+FFFD
        expect(textOf(last)).toBe(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('escapes markup characters in table labels and paragraphs', async () => {
    const base = sampleDocument(distinctReport('2019'), 0);
    const text = 'A&B <w:t>x</w:t> "q" \'s\' ]]>';
    const doc: ReportDocument = { ...base, blocks: [...base.blocks, { kind: 'paragraph', text, indent: false }] };
    const parts = readDocx(await renderDocx(doc));
    expect(textOf(children(body(parts), 'p').at(-1)!)).toBe(text);
  });
});

describe('docx package', () => {
  /** Every face the document's parts name in w:rFonts (styles, body, footers, headers). */
  function facesNamed(parts: DocxParts): Set<string> {
    const names = new Set<string>();
    for (const part of parts.names.filter((n) => /^word\/(styles|document|footer\d+|header\d+)\.xml$/.test(n))) {
      for (const f of all(parts.xml(part), 'rFonts')) {
        for (const side of ['ascii', 'hAnsi', 'eastAsia', 'cs']) {
          const name = attr(f, side);
          if (name) names.add(name);
        }
      }
    }
    return names;
  }

  const descriptions = parseYaml(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../format/docx-fonts.yaml'), 'utf8')) as {
    fonts: Record<string, { alt_name?: string; panose1?: string; charset: string; family?: string; pitch?: string; sig?: Record<string, string> }>;
  };
  const SCHEMA_ORDER = ['altName', 'panose1', 'charset', 'family', 'notTrueType', 'pitch', 'sig'];

  it('declares in fontTable.xml every face it names, once, described as format/docx-fonts.yaml says', async () => {
    const { parts } = await build('2021');
    const fonts = children(all(parts.xml('word/fontTable.xml'), 'fonts')[0], 'font');
    const declared = fonts.map((f) => attr(f, 'name')!);
    expect(new Set(declared).size).toBe(declared.length);
    expect(new Set(declared)).toEqual(facesNamed(parts));
    for (const official of ['仿宋_GB2312', '方正小标宋简体', '黑体', '楷体_GB2312']) expect(declared).toContain(official);
    for (const font of fonts) {
      const name = attr(font, 'name')!;
      const want = descriptions.fonts[name];
      expect(want, name).toBeDefined();
      const kids = Array.from({ length: font.childNodes.length }, (_, i) => font.childNodes[i]).filter((n) => n.nodeType === 1) as Element[];
      const order = kids.map((k) => SCHEMA_ORDER.indexOf(k.localName ?? ''));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(attr(child(font, 'altName'), 'val')).toBe(want.alt_name);
      expect(attr(child(font, 'panose1'), 'val')).toBe(want.panose1);
      expect(attr(child(font, 'charset'), 'val')).toBe(want.charset);
      expect(attr(child(font, 'family'), 'val')).toBe(want.family);
      expect(attr(child(font, 'pitch'), 'val')).toBe(want.pitch);
      const sig = child(font, 'sig');
      expect(sig ? Object.fromEntries(['usb0', 'usb1', 'usb2', 'usb3', 'csb0', 'csb1'].map((k) => [k, attr(sig, k)])) : undefined).toEqual(want.sig);
      if (want.panose1) expect(want.panose1).toMatch(/^[0-9A-F]{20}$/);
    }
    // the Chinese faces declare the GB2312 character set; the substitutes Windows ships are named
    for (const name of ['仿宋_GB2312', '方正小标宋简体', '黑体', '楷体_GB2312', '宋体']) {
      expect(attr(child(fonts.find((f) => attr(f, 'name') === name)!, 'charset'), 'val')).toBe('86');
    }
    expect(attr(child(fonts.find((f) => attr(f, 'name') === '仿宋_GB2312')!, 'altName'), 'val')).toBe('仿宋');
    expect(attr(child(fonts.find((f) => attr(f, 'name') === '黑体')!, 'altName'), 'val')).toBe('SimHei');
  });

  it("declares a county's own faces too: name and character set by the slot it fills, nothing made up", async () => {
    const doc = sampleDocument(distinctReport('2019'));
    const parts = readDocx(await renderDocx(doc, { fonts: { body: { eastAsia: '县用仿宋 & 体' }, title: { latin: 'Arial' }, heading2: { eastAsia: '楷体' } } }));
    const fonts = children(all(parts.xml('word/fontTable.xml'), 'fonts')[0], 'font');
    expect(new Set(fonts.map((f) => attr(f, 'name')))).toEqual(facesNamed(parts));
    const own = fonts.find((f) => attr(f, 'name') === '县用仿宋 & 体')!;
    expect(attr(child(own, 'charset'), 'val')).toBe('86');
    expect(child(own, 'panose1')).toBeUndefined();
    expect(child(own, 'altName')).toBeUndefined();
    const arial = fonts.find((f) => attr(f, 'name') === 'Arial')!;
    expect(attr(child(arial, 'charset'), 'val')).toBe('00');
    expect(child(arial, 'panose1')).toBeUndefined();
    const kaiti = fonts.find((f) => attr(f, 'name') === '楷体')!;
    expect(attr(child(kaiti, 'panose1'), 'val')).toBe(descriptions.fonts['楷体'].panose1);
    // the unused official 楷体_GB2312 is not declared
    expect(fonts.some((f) => attr(f, 'name') === '楷体_GB2312')).toBe(false);
  });

  it('compresses punctuation as Word does for a Chinese document (settings.xml, before w:compat)', async () => {
    const { parts } = await build('2019');
    const settings = all(parts.xml('word/settings.xml'), 'settings')[0];
    const control = children(settings, 'characterSpacingControl');
    expect(control).toHaveLength(1);
    expect(attr(control[0], 'val')).toBe('compressPunctuation');
    let next = control[0].nextSibling;
    while (next && next.nodeType !== 1) next = next.nextSibling;
    expect((next as Element).localName).toBe('compat');
  });

  it('carries the title, the agency as author, and fixed timestamps', async () => {
    const { doc, parts } = await build('2021');
    const core = parts.xml('docProps/core.xml');
    const text = (ns: string, local: string) => core.getElementsByTagNameNS(ns, local)[0]?.textContent;
    const DC = 'http://purl.org/dc/elements/1.1/';
    const DCTERMS = 'http://purl.org/dc/terms/';
    const CP = 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties';
    expect(text(DC, 'title')).toBe(doc.meta.title);
    expect(text(DC, 'creator')).toBe(doc.meta.author);
    expect(text(CP, 'lastModifiedBy')).toBe(doc.meta.author);
    expect(text(DCTERMS, 'created')).toBe(`${doc.meta.year + 1}-01-01T00:00:00Z`);
    expect(text(DCTERMS, 'modified')).toBe(`${doc.meta.year + 1}-01-01T00:00:00Z`);
  });

  it('is byte-identical when built twice, in any time zone', async () => {
    const doc = sampleDocument(distinctReport('2019'));
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Shanghai';
      const a = await renderDocx(doc);
      await new Promise((r) => setTimeout(r, 1100)); // a second later: a timestamp would show
      process.env.TZ = 'America/Los_Angeles';
      const b = await renderDocx(doc);
      process.env.TZ = 'UTC';
      const c = await renderDocx(sampleDocument(distinctReport('2019')));
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(Buffer.from(a).equals(Buffer.from(c))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('writes the same bytes from the docx compiler as through the public Packer route', async () => {
    const doc = sampleDocument(distinctReport('2021'));
    const date = new Date(Date.UTC(2022, 0, 1));
    const viaCompiler = await packageParts(docxDocument(doc), 'compiler');
    const viaPacker = await packageParts(docxDocument(doc), 'packer');
    expect(viaCompiler.map(([name]) => name)).toEqual(viaPacker.map(([name]) => name));
    expect(viaCompiler.map(([name]) => name)).toContain('word/document.xml');
    expect(Buffer.from(zipPackage(viaCompiler, date)).equals(Buffer.from(zipPackage(viaPacker, date)))).toBe(true);
    expect(Buffer.from(zipPackage(viaCompiler, date)).equals(Buffer.from(await renderDocx(doc, { date })))).toBe(true);
  });

  it('gives every zip entry the CRC-32 and sizes of its part, from the first render and from kept parts', async () => {
    const doc = sampleDocument(distinctReport('2021'));
    const date = new Date(Date.UTC(2022, 0, 1));
    const parts = await packageParts(docxDocument(doc));
    for (const bytes of [zipPackage(parts, date), zipPackage(parts, date), await withoutSharing(async () => zipPackage(parts, date))]) {
      const entries = centralDirectory(bytes);
      const raw = unzipSync(bytes);
      expect(entries.map((e) => e.name)).toEqual(parts.map(([name]) => name));
      for (const entry of entries) {
        expect([entry.name, entry.crc, entry.size]).toEqual([entry.name, crc32(raw[entry.name]), raw[entry.name].length]);
        expect(inflateRawSync(bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize)).equals(Buffer.from(raw[entry.name]))).toBe(true);
      }
    }
  });

  it('uses the given date when one is passed', async () => {
    const doc = sampleDocument(distinctReport('2021'));
    const parts = readDocx(await renderDocx(doc, { date: new Date(Date.UTC(2025, 0, 20, 8, 30)) }));
    expect(parts.text('docProps/core.xml')).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-20T08:30:00Z</dcterms:created>');
  });
});

describe('docx work shared across tables and reports', () => {
  const examplesDocs = async () =>
    Promise.all(examples.map(async (name) => buildDocument((await checkFile(path.join(examplesDir, name))).report!)));

  it('writes the same bytes sharing cells, styles, theme and deflated parts as with nothing shared, whatever came before', async () => {
    const docs = [...(await examplesDocs()), ...EDITION_IDS.map((edition) => sampleDocument(distinctReport(edition)))];
    const fonts = { table: { eastAsia: '宋体', latin: 'Arial' } };
    const fresh = await withoutSharing(async () => Promise.all(docs.map(async (doc) => [await renderDocx(doc), await renderDocx(doc, { fonts })])));
    // shared: each report after the others have left their cells behind, and again once they all have
    for (const round of [0, 1]) {
      for (const [i, doc] of docs.entries()) {
        expect(Buffer.from(await renderDocx(doc)).equals(Buffer.from(fresh[i][0])), `${doc.meta.title} round ${round}`).toBe(true);
        expect(Buffer.from(await renderDocx(doc, { fonts })).equals(Buffer.from(fresh[i][1])), `${doc.meta.title} fonts round ${round}`).toBe(true);
      }
    }
  });

  it('writes a shared component\'s text once, between marks, and copies it into later documents', () => {
    const text = new WrittenText();
    const written = { 'w:tc': [{ 'w:tcPr': {} }, { 'w:p': {} }] };
    const first = { file: {} } as unknown as IContext;
    const names = (placed: IXmlableObject) => (placed['w:tc'] as object[]).map((child) => Object.keys(child)[0]);
    // until its text is known: the content between a from and a to mark, wherever it is placed
    expect(names(placeWritten(first, text, written))).toEqual(['nianbao-written:from', 'w:tcPr', 'w:p', 'nianbao-written:to']);
    expect(names(placeWritten(first, text, written))).toEqual(['nianbao-written:from', 'w:tcPr', 'w:p', 'nianbao-written:to']);
    const n = text.id;
    const cell = `<w:tcPr/><w:p>&lt;nianbao-written:at n="${n}"/&gt;</w:p>`;
    const between = `<nianbao-written:from n="${n}"/>${cell}<nianbao-written:to n="${n}"/>`;
    expect(fillWritten(`<w:tbl><w:tc>${between}</w:tc><w:tc>${between}</w:tc></w:tbl>`, first.file)).toBe(`<w:tbl><w:tc>${cell}</w:tc><w:tc>${cell}</w:tc></w:tbl>`);
    expect(text.xml).toBe(cell);
    // then, in this and later documents, one mark that the text learnt replaces
    const second = { file: {} } as unknown as IContext;
    expect(placeWritten(second, text, written)['w:tc']).toEqual([{ 'nianbao-written:at': { _attr: { n } } }]);
    expect(fillWritten(`<w:tc><nianbao-written:at n="${n}"/></w:tc>`, second.file)).toBe(`<w:tc>${cell}</w:tc>`);
    // attributes of the root stay the package's to write; text among the children is never put between marks
    expect(placeWritten(second, text, { 'w:p': [{ _attr: { a: 1 } }, { 'w:r': {} }] })['w:p']).toEqual([{ _attr: { a: 1 } }, { 'nianbao-written:at': { _attr: { n } } }]);
    const withText = { 'w:t': [{ _attr: { a: 1 } }, 'text'] };
    expect(placeWritten(second, new WrittenText(), withText)).toBe(withText);
    // a document whose components were not placed is left as it is; a mark of another document is refused
    expect(fillWritten(`<w:tc><nianbao-written:at n="${n}"/></w:tc>`, {})).toBe(`<w:tc><nianbao-written:at n="${n}"/></w:tc>`);
    expect(() => fillWritten(`<w:tc><nianbao-written:at n="${n + 1000}"/></w:tc>`, second.file)).toThrow(/不属于本文档/);
    // with nothing shared, the written form as it is
    return withoutSharing(async () => expect(placeWritten({ file: {} } as unknown as IContext, text, written)).toBe(written));
  });

  it('learns a shared row\'s text with its shared cells inside it resolved, and places those cells with the row', () => {
    const [row, a, b] = [new WrittenText(), new WrittenText(), new WrittenText()];
    const first = { file: {} } as unknown as IContext;
    b.xml = '<w:p>b</w:p>';
    // the row's written form holds its cells' marks as they were placed at its first write: a still unknown, b known
    const rowWritten = { 'w:tr': [{ 'w:trPr': {} }, placeWritten(first, a, { 'w:tc': [{ 'w:p': {} }] }), placeWritten(first, b, { 'w:tc': [{ 'w:p': {} }] })] };
    expect((placeWritten(first, row, rowWritten, [a, b])['w:tr'] as object[]).map((c) => Object.keys(c)[0])).toEqual(['nianbao-written:from', 'w:trPr', 'w:tc', 'w:tc', 'nianbao-written:to']);
    const m = (kind: string, t: WrittenText) => `<nianbao-written:${kind} n="${t.id}"/>`;
    const compiled = `<w:tbl><w:tr>${m('from', row)}<w:trPr/><w:tc>${m('from', a)}<w:p>a</w:p>${m('to', a)}</w:tc><w:tc>${m('at', b)}</w:tc>${m('to', row)}</w:tr></w:tbl>`;
    const rowXml = '<w:trPr/><w:tc><w:p>a</w:p></w:tc><w:tc><w:p>b</w:p></w:tc>';
    expect(fillWritten(compiled, first.file)).toBe(`<w:tbl><w:tr>${rowXml}</w:tr></w:tbl>`);
    expect([row.xml, a.xml]).toEqual([rowXml, '<w:p>a</w:p>']);
    // a later document whose row text were still unknown (its first document never compiled) places the
    // cells with the row: their marks frozen into the row's written form resolve there too
    const [row2, c] = [new WrittenText(), new WrittenText()];
    c.xml = '<w:p>c</w:p>';
    const later = { file: {} } as unknown as IContext;
    placeWritten(later, row2, { 'w:tr': [{ 'w:tc': [{ 'w:p': {} }] }] }, [c]);
    expect(fillWritten(`<w:tr>${m('from', row2)}<w:tc>${m('at', c)}</w:tc>${m('to', row2)}</w:tr>`, later.file)).toBe('<w:tr><w:tc><w:p>c</w:p></w:tc></w:tr>');
    // a to that does not close the innermost from is refused
    const crossed = { file: {} } as unknown as IContext;
    const [x, y] = [new WrittenText(), new WrittenText()];
    placeWritten(crossed, x, { 'w:tr': [{ 'w:tc': {} }] }, [y]);
    expect(() => fillWritten(`${m('from', x)}${m('from', y)}${m('to', x)}${m('to', y)}`, crossed.file)).toThrow(/没有对应的开始/);
  });

  it('keeps the most recently used entries up to its capacity', () => {
    const made: string[] = [];
    const recent = new RecentlyUsed<string, string>(2);
    const get = (key: string) => recent.get(key, () => (made.push(key), key.toUpperCase()));
    expect([get('a'), get('b'), get('a'), get('c'), get('a'), get('b')]).toEqual(['A', 'B', 'A', 'C', 'A', 'B']);
    expect(made).toEqual(['a', 'b', 'c', 'b']); // c pushed out b (a was used after b), then b pushed out c
    expect(recent.size).toBe(2);
  });
});

/** CRC-32 (ISO-HDLC, as zip), bit by bit: slow and independent of zlib and fflate. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** The entries of a zip's central directory (APPNOTE 4.3.12), with where each one's data starts. */
function centralDirectory(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.byteLength - 22; // no archive comment
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  return Array.from({ length: count }, () => {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const entry = {
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      dataStart: local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true),
    };
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    return entry;
  });
}

