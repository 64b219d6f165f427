/**
 * Real-world robustness of `nianbao import`: published-looking files made from the seeds' figures and
 * text (test/helpers/published.ts). Every figure equal (texts such as 增53 kept as printed, blank as
 * blank), every unreadable cell reported, never a wrong number.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { officialGrid, TABLE_IDS, type EditionId } from '../../src/format/official.js';
import { importBytes, importedYaml, UNREADABLE, type ImportedReport } from '../../src/import/index.js';
import { parseFigure } from '../../src/import/interpret.js';
import { checkText } from '../../src/validate/index.js';
import { encodeGbk } from '../helpers/gbk.js';
import { zipSync } from 'fflate';
import { cmsHtml, handMadeDocx, unruledPdf, wordHtmlBytes, type Data } from '../helpers/published.js';
import { distinctReport } from '../helpers/sample.js';

const root = path.join(import.meta.dirname, '..', '..', 'examples');
const load = (file: string) => parse(readFileSync(path.join(root, file), 'utf8')) as Data;
const at = (data: unknown, dotted: string) => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
const squash = (t: unknown) => JSON.stringify(t ?? null).replace(/\s+|\\n/g, '');

/** What a reader of the printed page reads in a cell: the figure, whitespace aside (and the unit the official cell prints itself, 万元); blank as blank. */
const asPrinted = (v: unknown, unit?: string) => (v === null || v === undefined ? '' : typeof v === 'number' ? v : parseFigure(String(v), unit));

function expectFigures(imported: ImportedReport, data: Data, skip: (path: string) => boolean = () => false) {
  let n = 0;
  for (const table of TABLE_IDS) {
    for (const cell of officialGrid(data.format as EditionId, table).dataCells()) {
      if (skip(cell.path!)) continue;
      expect(imported.figures.get(cell.path!), cell.path).toBe(asPrinted(at(data, cell.path!), cell.unit));
      n++;
    }
  }
  return n;
}

const seeds = ['reports/2020-伍桥镇人民政府.yaml', 'reports/2021-渠沟镇人民政府.yaml', 'defects/2020-八道河镇人民政府.yaml', 'defects/2020-红椿镇人民政府.yaml', 'defects/2020-兴国镇人民政府.yaml'];

describe('Word-saved HTML (GBK, MsoNormal, &nbsp;, split cells, half-width brackets, stray spaces)', () => {
  it.each(seeds)('%s: every figure as printed, narrative and metadata kept', async (file) => {
    const data = load(file);
    const { report } = await importBytes('x.htm', wordHtmlBytes(data, {}, encodeGbk));
    expect(report.notes.filter((n) => n.severity === 'error')).toEqual([]);
    expect([report.edition, report.year, report.agency]).toEqual([data.format, data.year, (data.agency as Data).name]);
    expectFigures(report, data);
    const n = data.narrative as Data;
    for (const key of ['overview', 'problems', 'other'] as const) expect(squash(report.narrative[key]), key).toBe(squash(n[key]));
  });

  it('a published defect stays a defect: check names 增53, 905万-style units and blanks of the imported file', async () => {
    const data = load('defects/2020-八道河镇人民政府.yaml');
    const { report } = await importBytes('x.htm', wordHtmlBytes(data, {}, encodeGbk));
    expect(report.figures.get('active_disclosure.licensing.change')).toBe('增53');
    const checked = checkText(importedYaml(report, { schemaRef: 's.json', source: 'x.htm' }), 'x.yaml');
    const rules = checked.diagnostics.map((d) => d.rule);
    expect(rules).toContain('CELL-BLANK');
    expect(checked.diagnostics.some((d) => d.message.includes('增53'))).toBe(true);
    const blanks = TABLE_IDS.flatMap((t) => officialGrid('2019', t).dataCells()).filter((c) => at(data, c.path!) === null || at(data, c.path!) === undefined).length;
    expect(blanks).toBeGreaterThan(0);
    expect(rules.filter((r) => r === 'CELL-BLANK').length).toBe(blanks);
  });
});

describe('CMS page (layout table, spans, &nbsp;, <br> in the vertical label)', () => {
  it.each(seeds)('%s: every figure as printed', async (file) => {
    const data = load(file);
    const { report } = await importBytes('x.html', new TextEncoder().encode(cmsHtml(data)));
    expect(report.notes.filter((n) => n.severity === 'error')).toEqual([]);
    expect([report.edition, report.year, report.agency]).toEqual([data.format, data.year, (data.agency as Data).name]);
    expectFigures(report, data);
  });

  it('table 三 pasted as two tables (a page break in the source): every figure still on its row', async () => {
    const data = load('defects/2020-八道河镇人民政府.yaml');
    const html = cmsHtml(data).replace(/(<tr><td[^>]*><span[^>]*>5\.属于三类内部事务信息)/, '</tbody></table><p>（续表）</p><table border="1"><tbody>$1');
    expect(html).toContain('（续表）');
    const { report } = await importBytes('x.html', new TextEncoder().encode(html));
    expect(report.notes.filter((n) => n.severity === 'error')).toEqual([]);
    expectFigures(report, data);
  });

  it('a 2021 report printing （六）其他处理 as one row: kept as printed, check rejects it, nothing guessed', async () => {
    const data = load('reports/2021-渠沟镇人民政府.yaml');
    const row = [1, 0, 0, 0, 0, 0, 1];
    const { report } = await importBytes('x.html', new TextEncoder().encode(cmsHtml(data, { oneRowOther: row })));
    expect(report.notes.map((n) => n.severity)).toEqual(['warning']);
    expect(report.notes[0].message).toContain('（六）其他处理');
    row.forEach((v, i) => expect(report.figures.get(`applications.results.other.${i}`)).toBe(v));
    expect([...report.figures.keys()].some((k) => k.startsWith('applications.results.other.no_correction'))).toBe(false);
    expectFigures(report, data, (p) => p.startsWith('applications.results.other.'));
    const yaml = importedYaml(report, { schemaRef: 's.json', source: 'x.html' });
    expect(yaml).toMatch(/ {4}other: \[1, 0, 0, 0, 0, 0, 1\] +# （六）其他处理（原文印成一行）/);
    expect(checkText(yaml, 'x.yaml').diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('an unreadable cell (a picture) and a missing row are reported with their place, never written as 0', async () => {
    const data = load('reports/2020-伍桥镇人民政府.yaml');
    const html = cmsHtml(data)
      .replace(/<tr><td[^>]*><span[^>]*>2\.重复申请<\/span><\/td>.*?<\/tr>/, '')
      .replace(/(<td[^>]*>)<span[^>]*>&nbsp;1&nbsp;<\/span>(<\/td>)/, '$1<img src="/upload/cell.png">$2');
    const { report } = await importBytes('x.html', new TextEncoder().encode(html));
    const errors = report.notes.filter((n) => n.severity === 'error');
    expect(errors.map((n) => n.message).join('\n')).toMatch(/2\.重复申请/);
    const picture = errors.find((n) => n.message.includes('图片'));
    expect(picture?.place).toMatchObject({ table: 2 });
    expect(report.figures.get('applications.received.0')).toBe(UNREADABLE);
    for (let i = 0; i < 7; i++) expect(report.figures.get(`applications.results.not_processed.repeated.${i}`)).toBe(UNREADABLE);
    const checked = checkText(importedYaml(report, { schemaRef: 's.json', source: 'x.html' }), 'x.yaml');
    expect(checked.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThanOrEqual(8);
  });
});

describe('docx saved by hand in Word or WPS (split runs, proofing marks, bare <w:vMerge/>, content controls)', () => {
  it.each(seeds)('%s: every figure as printed, narrative kept', async (file) => {
    const data = load(file);
    const { report } = await importBytes('x.docx', handMadeDocx(data, (files) => zipSync(files)));
    expect(report.notes.filter((n) => n.severity === 'error')).toEqual([]);
    expect([report.edition, report.year, report.agency]).toEqual([data.format, data.year, (data.agency as Data).name]);
    expectFigures(report, data);
    const n = data.narrative as Data;
    for (const key of ['overview', 'problems', 'other'] as const) expect(squash(report.narrative[key]), key).toBe(squash(n[key]));
  });
});

describe('PDF without table rules, labels at the top of their cells, table 三 across a page without repeated headers', () => {
  it.each(['2019', '2021'] as const)('edition %s, every figure different: each lands on its own path', async (edition) => {
    const data = distinctReport(edition) as unknown as Data;
    data.narrative = { overview: '总体情况第一段。\n总体情况第二段。', problems: '存在的问题。', other: '其他事项。' };
    const bytes = await unruledPdf(data);
    const { report } = await importBytes('x.pdf', bytes);
    expect(report.notes.filter((n) => n.severity === 'error')).toEqual([]);
    expect(expectFigures(report, data)).toBeGreaterThan(150);
    expect(squash(report.narrative.problems)).toBe(squash('存在的问题。'));
  });

  it.each(['defects/2020-兴国镇人民政府.yaml', 'defects/2020-八道河镇人民政府.yaml', 'defects/2020-红椿镇人民政府.yaml'])(
    '%s (blank cells, texts): blanks placed by the columns of full rows or of the printed headers, texts as printed',
    async (file) => {
      const data = load(file);
      const { report } = await importBytes('x.pdf', await unruledPdf(data));
      expect(report.notes).toEqual([]);
      expectFigures(report, data);
    },
  );

  it('rows of blank cells with no full row and no headers to place them: reported row by row, never a wrong number', async () => {
    const data = load('defects/2020-八道河镇人民政府.yaml');
    const { report } = await importBytes('x.pdf', await unruledPdf(data, 18, { withoutTable3Headers: true }));
    const unread = [...report.figures].filter(([, v]) => v === UNREADABLE).map(([k]) => k);
    expect(unread.length).toBeGreaterThan(0);
    for (const table of TABLE_IDS) {
      for (const cell of officialGrid('2019', table).dataCells()) {
        const got = report.figures.get(cell.path!);
        if (got !== UNREADABLE) expect(got, cell.path).toBe(asPrinted(at(data, cell.path!), cell.unit));
      }
    }
    // each unread row is named with its place in the PDF
    const rows = new Set(unread.map((p) => p.replace(/\.\d+$/, '')));
    const named = report.notes.filter((n) => n.severity === 'error' && n.place?.page !== undefined);
    expect(named.length).toBe(rows.size);
  });
});
