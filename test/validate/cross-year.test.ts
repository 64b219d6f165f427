/**
 * Cross-year checks (FORMAT.md §3.3) across the 2020 → 2021 edition change and within each edition.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPrevious } from '../../src/workspace/checks/check.js';
import { crossYearDiagnostics } from '../../src/workspace/checks/cross-year.js';
import { entryOf, lineOf, reportFor, yamlText } from '../workspace-fixtures.js';

const text = yamlText;

describe('X-T3: 二、上年结转 = last year\'s 四、结转下年度继续办理', () => {
  it('passes across the 2020 (2019 edition) → 2021 (2021 edition) change when every column agrees', () => {
    const last = reportFor(2020);
    const current = reportFor(2021);
    current.applications.carried_over = [...last.applications.carried_forward];
    const diagnostics = crossYearDiagnostics(entryOf(current, 'r/2021.yaml'), entryOf(last, 'r/2020.yaml'));
    expect(diagnostics.filter((d) => d.rule === 'X-T3')).toEqual([]);
  });

  it('is an error at the differing cell, naming both rows, the column and both values', () => {
    const last = reportFor(2020);
    const current = reportFor(2021);
    current.applications.carried_over = [...last.applications.carried_forward];
    current.applications.carried_over[1] += 2; // 商业企业
    const source = text(current);
    const diagnostics = crossYearDiagnostics(entryOf(source, 'r/2021.yaml'), entryOf(last, 'r/2020.yaml', 'reports/2020/兴国镇.yaml'));
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d).toMatchObject({ severity: 'error', rule: 'X-T3', file: 'r/2021.yaml' });
    expect(d.message).toContain('二、上年结转政府信息公开申请数量');
    expect(d.message).toContain('四、结转下年度继续办理');
    expect(d.message).toContain('商业企业');
    expect(d.message).toContain(`列为 ${current.applications.carried_over[1]}`);
    expect(d.message).toContain(`列为 ${last.applications.carried_forward[1]}`);
    expect(d.message).toContain('reports/2020/兴国镇.yaml');
    expect(d.message).not.toContain('corrections');
    expect(d.hint).toContain('在本报告的 corrections.carried_over 中写明原因');
    // the line of carried_over in the current file (a flow sequence: the second element's column)
    const line = lineOf(source, 'carried_over:');
    expect(d.line).toBe(line);
    const col = source.split('\n')[line - 1].indexOf(`, ${current.applications.carried_over[1]},`) + 3;
    expect(d.col).toBe(col);
  });

  it('reports each differing column, and is silenced by corrections.carried_over', () => {
    const last = reportFor(2021);
    const current = reportFor(2022);
    // distinct figures: every column differs
    expect(crossYearDiagnostics(entryOf(current), entryOf(last)).filter((d) => d.rule === 'X-T3')).toHaveLength(7);
    current.corrections = { carried_over: '2021年报告结转数统计有误，经核实更正为本表数据。' };
    expect(crossYearDiagnostics(entryOf(current), entryOf(last)).filter((d) => d.rule === 'X-T3')).toEqual([]);
    current.corrections = { carried_over: '  ' }; // an empty explanation explains nothing
    expect(crossYearDiagnostics(entryOf(current), entryOf(last)).filter((d) => d.rule === 'X-T3')).toHaveLength(7);
  });

  it('compares no column of a row written with the wrong number of figures, this year\'s or last year\'s (ROW-LENGTH is the finding)', () => {
    const last = reportFor(2021);
    const current = reportFor(2022);
    current.applications.carried_over = [...last.applications.carried_forward];
    const xt3 = () => crossYearDiagnostics(entryOf(current), entryOf(last)).filter((d) => d.rule === 'X-T3');
    expect(xt3()).toEqual([]);
    // a figure typed twice at the front: every column after it would seem to differ
    current.applications.carried_over = [last.applications.carried_forward[0], ...last.applications.carried_forward] as unknown as typeof current.applications.carried_over;
    expect(xt3()).toEqual([]);
    current.applications.carried_over = [...last.applications.carried_forward];
    last.applications.carried_forward = last.applications.carried_forward.slice(1) as unknown as typeof last.applications.carried_forward;
    expect(xt3()).toEqual([]);
  });
});

describe('X-T2-21: 现行有效件数 = last year\'s + 本年制发件数 − 本年废止件数 (2021 edition)', () => {
  const pair = () => {
    const last = reportFor(2022);
    const current = reportFor(2023);
    current.applications.carried_over = [...last.applications.carried_forward];
    for (const kind of ['rules', 'normative_documents'] as const) {
      const c = current.active_disclosure as unknown as { [k: string]: { issued: number; repealed: number; in_force: number } };
      const l = last.active_disclosure as unknown as typeof c;
      c[kind].in_force = l[kind].in_force + c[kind].issued - c[kind].repealed;
    }
    return { last, current };
  };

  it('passes when the stock carries over', () => {
    const { last, current } = pair();
    expect(crossYearDiagnostics(entryOf(current), entryOf(last))).toEqual([]);
  });

  it('warns at 现行有效件数 with the expected figure, and corrections.in_force silences it', () => {
    const { last, current } = pair();
    const nd = (current.active_disclosure as { normative_documents: { in_force: number; issued: number; repealed: number } }).normative_documents;
    const expected = nd.in_force;
    nd.in_force += 3;
    const source = text(current);
    const diagnostics = crossYearDiagnostics(entryOf(source), entryOf(last));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', rule: 'X-T2-21' });
    expect(diagnostics[0].message).toContain('行政规范性文件');
    expect(diagnostics[0].message).toContain(`应为 ${expected}`);
    const normative = lineOf(source, 'normative_documents:');
    expect(diagnostics[0].line).toBe(lineOf(source, 'in_force:', normative));
    current.corrections = { in_force: '本年对行政规范性文件开展清理，宣布失效3件。' };
    expect(crossYearDiagnostics(entryOf(current), entryOf(last))).toEqual([]);
  });

  it('does not apply across the edition change: 2019 has no 现行有效件数', () => {
    const last = reportFor(2020);
    const current = reportFor(2021);
    current.applications.carried_over = [...last.applications.carried_forward];
    // 2021's in_force is unrelated to 2020's 对外公开总数量: no X-T2 rule may fire
    expect(crossYearDiagnostics(entryOf(current), entryOf(last))).toEqual([]);
  });
});

describe('X-T2-19: 上一年项目数量 = last year\'s 上一年项目数量 + 本年增/减 (2019 edition)', () => {
  it('warns per row when the item count does not carry over, passes when it does', () => {
    const last = reportFor(2019);
    const current = reportFor(2020);
    current.applications.carried_over = [...last.applications.carried_forward];
    const kinds = ['licensing', 'other_services', 'penalty', 'coercion', 'fees'] as const;
    const c = current.active_disclosure as unknown as Record<string, { previous_items: number; change: number }>;
    const l = last.active_disclosure as unknown as typeof c;
    for (const k of kinds) c[k].previous_items = l[k].previous_items + l[k].change;
    expect(crossYearDiagnostics(entryOf(current), entryOf(last))).toEqual([]);

    c.penalty.previous_items -= 1;
    const source = text(current);
    const diagnostics = crossYearDiagnostics(entryOf(source), entryOf(last));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', rule: 'X-T2-19' });
    expect(diagnostics[0].message).toContain('行政处罚');
    expect(diagnostics[0].message).toContain(`应为 ${l.penalty.previous_items + l.penalty.change}`);
    expect(diagnostics[0].line).toBe(lineOf(source, 'previous_items:', lineOf(source, 'penalty:')));

    current.corrections = { previous_items: '行政处罚事项按县级权责清单调整。' };
    expect(crossYearDiagnostics(entryOf(current), entryOf(last))).toEqual([]);
  });

  it('does not apply from a 2020 report to a 2021 one (the 2021 table has no 上一年项目数量)', () => {
    const last = reportFor(2020);
    const current = reportFor(2021);
    current.applications.carried_over = [...last.applications.carried_forward];
    expect(crossYearDiagnostics(entryOf(current), entryOf(last)).some((d) => d.rule.startsWith('X-T2'))).toBe(false);
  });
});

describe('last year\'s report: found by agency and year, or named by `previous`', () => {
  const root = path.resolve('/ws');
  const at = (rel: string, data: Record<string, unknown>) => ({ ...entryOf(data, rel), abs: path.join(root, rel), rel });

  it('finds the same agency\'s report of the year before, not a sibling\'s or an older one', () => {
    const current = at('reports/2021/a.yaml', reportFor(2021, '甲镇人民政府'));
    const entries = [current, at('reports/2020/a.yaml', reportFor(2020, '甲镇人民政府')), at('reports/2020/b.yaml', reportFor(2020, '乙镇人民政府')), at('reports/2019/a.yaml', reportFor(2019, '甲镇人民政府'))];
    expect(findPrevious(current, entries, { root }).previous?.rel).toBe('reports/2020/a.yaml');
    expect(findPrevious(entries[3], entries, { root }).previous).toBeUndefined();
  });

  it('follows `previous` relative to the report, and says so when it is missing, elsewhere or not last year\'s', () => {
    const renamed = at('reports/2020/甲镇-旧名.yaml', reportFor(2020, '甲镇政府'));
    const older = at('reports/2019/a.yaml', reportFor(2019, '甲镇人民政府'));
    const make = (previous: unknown) => at('reports/2021/a.yaml', { ...reportFor(2021, '甲镇人民政府'), previous });
    let current = make('../2020/甲镇-旧名.yaml');
    expect(findPrevious(current, [current, renamed, older], { root })).toEqual({ previous: renamed, diagnostics: [] });

    current = make('../2020/none.yaml');
    const missing = findPrevious(current, [current], { root }).diagnostics;
    expect(missing.map((d) => [d.severity, d.rule])).toEqual([['error', 'WS-PREVIOUS']]);
    expect(missing[0].message).toContain('「../2020/none.yaml」不存在');

    current = make('../../../etc/x.yaml');
    expect(findPrevious(current, [current], { root }).diagnostics[0].message).toContain('在工作区之外');

    current = make('../2019/a.yaml');
    const wrongYear = findPrevious(current, [current, older], { root });
    expect(wrongYear.previous).toBe(older);
    expect(wrongYear.diagnostics.map((d) => [d.severity, d.message])).toEqual([['warning', '「previous」指向的是 2019 年的报告，不是上一年（2020 年）的']]);
  });
});
