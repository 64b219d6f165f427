/**
 * The one label mapping of `nianbao import`: every official label finds its own row, printing variants
 * (whitespace, bracket and digit width, numbering, quotes, listed variants) find the same row, and a
 * label of another row or another edition finds nothing.
 */
import { describe, expect, it } from 'vitest';
import { readFormatFile } from '../../src/format/data-files.js';
import { EDITION_IDS, officialGrid } from '../../src/format/official.js';
import { parseFigure } from '../../src/import/interpret.js';
import { editionFromLabels, isHeaderText, labelIndex, matchRow, normalizeLabel } from '../../src/import/labels.js';

const pathOf = (edition: '2019' | '2021', printed: string) => matchRow(edition, printed)?.cells[0].path;

describe('label mapping', () => {
  it.each(EDITION_IDS)('edition %s: every official row label maps to that row and no other', (edition) => {
    const rows = [...new Set(labelIndex(edition).rows.values())];
    const grids = [officialGrid(edition, 'table2'), officialGrid(edition, 'table3')];
    expect(rows.length).toBe(grids.reduce((n, g) => n + g.rows.filter((r) => r.some((c) => c.role === 'data')).length, 0));
    for (const row of rows) expect(matchRow(edition, row.label)).toBe(row);
  });

  it('every variant in format/label-variants.yaml names its official row in each edition that has it', () => {
    const variants = readFormatFile<Record<string, string[]>>('label-variants.yaml');
    let checked = 0;
    for (const [official, list] of Object.entries(variants)) {
      for (const edition of EDITION_IDS) {
        const row = matchRow(edition, official);
        if (!row || row.label !== official) continue;
        for (const variant of list) {
          const own = matchRow(edition, variant);
          // a variant that is another row's own label in this edition keeps naming that row
          if (own && own.label === variant && own !== row) continue;
          expect(own, `${edition}「${variant}」`).toBe(row);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ['2021', '（一）予以公开', 'applications.results.granted.0'],
    ['2021', '(一)予以公开', 'applications.results.granted.0'],
    ['2021', ' （ 一 ） 予以\u00a0公开 ', 'applications.results.granted.0'],
    ['2021', '（一）予以\n公开', 'applications.results.granted.0'],
    ['2021', '1、属于国家秘密', 'applications.results.denied.state_secret.0'],
    ['2021', '１．属于国家秘密', 'applications.results.denied.state_secret.0'],
    ['2021', '3.危及"三安全一稳定"', 'applications.results.denied.three_safeties_one_stability.0'],
    ['2021', '3.危及三安全一稳定', 'applications.results.denied.three_safeties_one_stability.0'],
    ['2021', '（二）部分公开', 'applications.results.partially_granted.0'],
    ['2021', '(二)部分公开(区分处理的,只计这一情形,不计其他情形)', 'applications.results.partially_granted.0'],
    ['2021', '规 章', 'active_disclosure.rules.issued'],
    ['2021', '规范性文件', 'active_disclosure.normative_documents.issued'],
    ['2019', '行政规范性文件', 'active_disclosure.normative_documents.made'],
    ['2021', '1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请', 'applications.results.other.no_correction.0'],
    ['2021', '3.其他', 'applications.results.other.other.0'],
    ['2019', '（六）其他处理', 'applications.results.other.0'],
    ['2021', '四、结转下年度继续办理', 'applications.carried_forward.0'],
  ] as const)('%s「%s」→ %s', (edition, printed, path) => {
    expect(pathOf(edition, printed)).toBe(path);
  });

  it.each([
    ['2021', '（六）其他处理'], // a 2019 row: a 2021 report printing it is kept as printed, never put on 3.其他
    ['2019', '3.其他'],
    ['2021', '其他'],
    ['2021', '（三）不予公开'], // a group, not a row of figures
    ['2021', '三、本年度办理结果'],
    ['2021', '1.属于'],
    ['2021', '属于国家秘密'], // the numbering is part of the label: 1. and 8. rows differ only by it elsewhere
    ['2021', '（一）予以公开（部分）'],
    ['2021', '政府集中采购'],
  ] as const)('%s「%s」names no row', (edition, printed) => {
    expect(matchRow(edition, printed)).toBeUndefined();
  });

  it('normalizes only what printing changes', () => {
    expect(normalizeLabel(' 1、 属于“国家”秘密：')).toBe('1.属于国家秘密');
    expect(normalizeLabel('（一）')).toBe(normalizeLabel('(一)'));
    expect(normalizeLabel('一、本年')).not.toBe(normalizeLabel('二、本年'));
  });

  it('tells the edition from the headers only one edition prints', () => {
    expect(editionFromLabels(['信息内容', '本年制发件数'])).toBe('2021');
    expect(editionFromLabels(['本年新制作数量', '规章'])).toBe('2019');
    expect(editionFromLabels(['规章', '信息内容'])).toBeUndefined();
    expect(isHeaderText('第二十条第(五)项')).toBe(true);
    expect(isHeaderText('规章')).toBe(false);
  });
});

describe('figures as printed', () => {
  it.each([
    ['0', undefined, 0],
    [' 12 ', undefined, 12],
    ['１２', undefined, 12],
    ['-8', undefined, -8],
    ['12.5', undefined, 12.5],
    ['0万元', '万元', 0],
    ['3.5万元', '万元', 3.5],
    ['905万', undefined, '905万'],
    ['75394432.52元', undefined, '75394432.52元'],
    ['增53', undefined, '增53'],
    ['/', undefined, '/'],
    ['-', undefined, '-'],
    ['', undefined, ''],
    ['1 2', undefined, '1 2'], // two figures in one cell are never one number
    ['1\n2', undefined, '1 2'],
    ['1,234', undefined, '1,234'],
    ['99999999999999999999', undefined, '99999999999999999999'],
  ] as const)('「%s」(unit %s) → %j', (printed, unit, expected) => {
    expect(parseFigure(printed, unit)).toBe(expected);
  });
});
