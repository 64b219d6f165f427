/** Narrative placeholders: names derived from the grids, substitution, literal braces, unknown names. */
import { describe, expect, it } from 'vitest';
import { EDITION_IDS, officialGrid, TABLE_IDS } from '../../src/format/official.js';
import { buildDocument } from '../../src/model/build-document.js';
import { formatFigure } from '../../src/model/fill.js';
import { checkNarrativePlaceholders, findPlaceholders, placeholderNames, placeholderProblems, substitutePlaceholders } from '../../src/format/placeholders.js';
import { figureAt, type Report } from '../../src/format/report.js';
import { distinctReport } from '../helpers/sample.js';

describe.each(EDITION_IDS)('placeholder names, %s edition', (edition) => {
  const names = placeholderNames(edition);
  const report = distinctReport(edition);

  it('name every data cell of tables 二, 三, 四 exactly once', () => {
    const paths = TABLE_IDS.flatMap((t) => officialGrid(edition, t).dataCells().map((c) => c.path));
    expect([...names.values()].sort()).toEqual([...paths].sort());
  });

  it('substitute each name by its own figure', () => {
    for (const [name, path] of names) {
      expect(substitutePlaceholders(`共{{${name}}}件`, report), name).toBe(`共${formatFigure(figureAt(report, path))}件`);
    }
  });
});

describe('placeholder syntax', () => {
  const report = distinctReport('2021');
  const figure = (path: string) => String(figureAt(report, path));

  it('reads the documented examples', () => {
    const names = placeholderNames('2021');
    expect(names.get('三.一.总计')).toBe('applications.received.6');
    expect(names.get('三.二.自然人')).toBe('applications.carried_over.0');
    expect(names.get('三.三.（三）.3.商业企业')).toBe('applications.results.denied.three_safeties_one_stability.1');
    expect(names.get('三.三.（六）.2.总计')).toBe('applications.results.other.unpaid_fees.6');
    expect(names.get('三.三.（七）.总计')).toBe('applications.results.total.6');
    expect(names.get('三.四.其他')).toBe('applications.carried_forward.5');
    expect(names.get('四.行政复议.总计')).toBe('review_litigation.review.4');
    expect(names.get('四.未经复议直接起诉.结果纠正')).toBe('review_litigation.litigation_direct.1');
    expect(names.get('四.复议后起诉.尚未审结')).toBe('review_litigation.litigation_after_review.3');
    expect(names.get('二.规章.本年制发件数')).toBe('active_disclosure.rules.issued');
    expect(names.get('二.行政事业性收费.本年收费金额（单位：万元）')).toBe('active_disclosure.fees.amount');
    expect(placeholderNames('2019').get('三.三.（六）.总计')).toBe('applications.results.other.6');
    expect(placeholderNames('2019').get('二.政府集中采购.采购总金额')).toBe('active_disclosure.procurement.amount');
  });

  it('allows white space just inside the braces', () => {
    expect(substitutePlaceholders('共{{ 三.一.总计 }}件', report)).toBe(`共${figure('applications.received.6')}件`);
  });

  it('prints the figure without the unit a table cell shows', () => {
    const r2019 = distinctReport('2019');
    expect(substitutePlaceholders('{{二.政府集中采购.采购总金额}}万元', r2019)).toBe(`${figureAt(r2019, 'active_disclosure.procurement.amount')}万元`);
  });

  it('leaves every brace that is not a known placeholder as typed', () => {
    for (const text of ['{{', '}}', '{{}}', '{{三}}', '{{foo}}', '{{三.一.总计', '三.一.总计}}', '{{{三.一.总计}}', '{三.一.总计}', '{{三.一 .总计}}', '{{> title}}', '{{#each x}}']) {
      const out = substitutePlaceholders(text, report);
      if (text === '{{{三.一.总计}}') expect(out).toBe(`{${figure('applications.received.6')}`);
      else expect(out, text).toBe(text);
    }
  });

  it('leaves a well-formed but unknown placeholder as typed, and reports it', () => {
    expect(substitutePlaceholders('{{三.十.总计}}', report)).toBe('{{三.十.总计}}');
    const data = { narrative: { overview: { active: '甲{{三.一.总计}}乙{{三.十.总计}}' }, problems: '{{三.三.（六）.总计}}' } };
    const problems = placeholderProblems(data, '2021');
    expect(problems.map((p) => [p.path, p.index])).toEqual([
      [['narrative', 'overview', 'active'], 12],
      [['narrative', 'problems'], 0],
    ]);
    expect(problems[0].message).toContain('{{三.十.总计}}');
    // （六）其他处理 is one row in 2019 and three rows in 2021
    expect(placeholderProblems(data, '2019').map((p) => p.path)).toEqual([['narrative', 'overview', 'active']]);
  });

  it('warns about braces that look like a mistyped reference (they print as typed)', () => {
    const data = { narrative: { other: '共{{三。一。总计}}件，{{ 四 }}，{{三.一.总计}}，{{foo}}' } };
    const problems = placeholderProblems(data, '2021');
    expect(problems.map((p) => [p.severity, p.rule, p.index])).toEqual([
      ['warning', 'NARRATIVE-REF-FORM', 1],
      ['warning', 'NARRATIVE-REF-FORM', 13],
    ]);
    expect(problems[0].message).toBe('叙述中的「{{三。一。总计}}」不是数据引用，将按原样印出');
    expect(problems[0].hint).toContain('用半角句点分隔，如 {{三.一.总计}}');
    expect(substitutePlaceholders(data.narrative.other, report)).toBe(`共{{三。一。总计}}件，{{ 四 }}，${figure('applications.received.6')}，{{foo}}`);
  });

  it('finds placeholders with their offsets', () => {
    expect(findPlaceholders('ab{{三.一.总计}}c{{四.x.y}}', '2021').map((u) => [u.index, u.name, u.path])).toEqual([
      [2, '三.一.总计', 'applications.received.6'],
      [13, '四.x.y', undefined],
    ]);
  });

  it('ignores narrative that is not text (the schema reports that)', () => {
    expect(placeholderProblems({ narrative: 5 }, '2021')).toEqual([]);
    expect(placeholderProblems(null, '2021')).toEqual([]);
    expect(placeholderProblems({ narrative: { overview: { active: 7 }, other: null } }, '2021')).toEqual([]);
  });

  it('is an error diagnostic of the check pipeline, located at the narrative field', () => {
    const located: unknown[] = [];
    const diagnostics = checkNarrativePlaceholders({
      data: { narrative: { other: '信息处理费{{六.一.总计}}元' } },
      edition: '2021',
      diagnostic: (path, severity, rule, message) => {
        located.push(path);
        return { severity, rule, message };
      },
    });
    expect(located).toEqual([['narrative', 'other']]);
    expect(diagnostics).toEqual([{ severity: 'error', rule: 'NARRATIVE-REF', message: expect.stringContaining('{{六.一.总计}}') }]);
    const warned = checkNarrativePlaceholders({ data: { narrative: { problems: '{{三，一，总计}}' } }, edition: '2019', diagnostic: (path, severity, rule) => ({ path, severity, rule }) });
    expect(warned).toEqual([{ path: ['narrative', 'problems'], severity: 'warning', rule: 'NARRATIVE-REF-FORM' }]);
  });

  it('reaches the built document: text and table cannot disagree', () => {
    const r = { ...report, narrative: { overview: '本年新收申请{{三.一.总计}}件，上年结转{{三.二.总计}}件。' } } as Report;
    const doc = buildDocument(r);
    const para = doc.blocks.find((b) => b.kind === 'paragraph' && b.text.startsWith('本年新收'));
    expect(para).toEqual({
      kind: 'paragraph',
      indent: true,
      text: `本年新收申请${figure('applications.received.6')}件，上年结转${figure('applications.carried_over.6')}件。`,
    });
    const table3 = doc.blocks.find((b) => b.kind === 'table' && b.table === 'table3');
    const cell = table3 && table3.kind === 'table' ? table3.grid.dataCells().find((c) => c.path === 'applications.received.6') : undefined;
    expect(para && para.kind === 'paragraph' && para.text.includes(cell!.display)).toBe(true);
  });
});
