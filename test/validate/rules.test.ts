/**
 * Each 勾稽关系 catches a broken report at the offending cell's YAML line:col with both sides of the
 * sum, and passes a correct one. Reports start from `nianbao init`'s template (all zeros, known
 * layout), so the expected position is read off the edited line, independently of the checker.
 */
import { describe, expect, it } from 'vitest';
import { filledTemplate as initTemplate } from '../helpers/filled.js';
import { checkText } from '../../src/validate/index.js';
import type { Diagnostic } from '../../src/validate/types.js';
import type { EditionId } from '../../src/format/official.js';

function template(edition: EditionId): string {
  return initTemplate({ edition, year: edition === '2019' ? 2020 : 2024, agency: '测试镇人民政府', schemaRef: 'schema.json' });
}

/** Replaces the value part of the first line whose key is `key` (below `under`, if given). */
function edit(text: string, key: string, value: string, under?: string): { text: string; line: number; valueCol: number } {
  const lines = text.split('\n');
  const start = under ? lines.findIndex((l) => l.trimStart().startsWith(`${under}:`)) : 0;
  const i = lines.findIndex((l, n) => n > start && l.trimStart().startsWith(`${key}:`));
  if (i < 0) throw new Error(`no key ${key}`);
  const indent = lines[i].length - lines[i].trimStart().length;
  lines[i] = `${' '.repeat(indent)}${key}: ${value}`;
  return { text: lines.join('\n'), line: i + 1, valueCol: indent + key.length + 3 };
}

/** Column of the n-th item of a flow row `[a, b, …]` on a line. */
function itemCol(text: string, line: number, n: number): number {
  const content = text.split('\n')[line - 1];
  const open = content.indexOf('[');
  let col = open + 1;
  for (let k = 0; k < n; k++) col = content.indexOf(',', col) + 1;
  while (content[col] === ' ') col++;
  return col + 1;
}

const byRule = (ds: readonly Diagnostic[], rule: string) => ds.filter((d) => d.rule === rule);

describe.each(['2019', '2021'] as const)('勾稽关系 (%s)', (edition) => {
  it('passes the all-zero template', () => {
    const result = checkText(template(edition), 'r.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.report?.format).toBe(edition);
  });

  it('T3-ROW: a row whose 总计 is not the sum of the six applicant columns', () => {
    const e = edit(template(edition), 'received', '[1, 0, 2, 0, 0, 0, 4]');
    const result = checkText(e.text, 'r.yaml');
    const [d] = byRule(result.diagnostics, 'T3-ROW');
    expect(d).toMatchObject({ line: e.line, col: itemCol(e.text, e.line, 6), severity: 'error' });
    expect(d.message).toBe('表三「一、本年新收政府信息公开申请数量」行「总计」列为 4，但自然人至其他六列之和为 3');
    expect(result.report).toBeUndefined();
  });

  it('a row with more or fewer figures than its columns is one finding, ROW-LENGTH, not also a broken sum', () => {
    for (const [key, value] of [
      ['received', '[9, 2, 1, 0, 0, 0, 0, 3]'],
      ['received', '[2, 1, 0, 0, 0, 3]'],
      ['litigation_direct', '[1, 1, 0, 0, 0, 3]'],
    ]) {
      const e = edit(template(edition), key, value);
      const result = checkText(e.text, 'r.yaml');
      expect(result.diagnostics.map((d) => [d.rule, d.line]), value).toEqual([['ROW-LENGTH', e.line]]);
    }
  });

  it('T3-SUM: （七）总计 is not the sum of the result rows, per column', () => {
    let e = edit(template(edition), 'received', '[20, 0, 0, 0, 0, 0, 20]');
    e = edit(e.text, 'granted', '[26, 0, 0, 0, 0, 0, 26]');
    e = edit(e.text, 'total', '[20, 0, 0, 0, 0, 0, 20]', 'results');
    const result = checkText(e.text, 'r.yaml');
    const sums = byRule(result.diagnostics, 'T3-SUM');
    expect(sums.map((d) => [d.line, d.col])).toEqual([
      [e.line, itemCol(e.text, e.line, 0)],
      [e.line, itemCol(e.text, e.line, 6)],
    ]);
    expect(sums[0].message).toBe('表三「三、本年度办理结果·（七）总计」行「自然人」列为 20，但（一）至（六）各项之和为 26');
    expect(sums[1].message).toContain('「总计」列为 20，但（一）至（六）各项之和为 26');
    // 一 + 二 = 20 = （七）20 + 四 0 still balances: no T3-EXP
    expect(byRule(result.diagnostics, 'T3-EXP')).toEqual([]);
  });

  it('T3-SUM counts every result row, including the edition-specific （六）', () => {
    const key = edition === '2019' ? 'other' : 'unpaid_fees';
    let e = edit(template(edition), 'received', '[0, 0, 0, 0, 0, 1, 1]');
    e = edit(e.text, key, '[0, 0, 0, 0, 0, 1, 1]', edition === '2019' ? 'not_processed' : 'other');
    const result = checkText(e.text, 'r.yaml');
    const sums = byRule(result.diagnostics, 'T3-SUM');
    expect(sums).toHaveLength(2);
    expect(sums[0].message).toContain('「法人或其他组织·其他」列为 0，但（一）至（六）各项之和为 1');
  });

  it('T3-EXP: 一 + 二 ≠ 三（七）+ 四, blamed on 四、结转下年度继续办理 with both sides', () => {
    let e = edit(template(edition), 'carried_over', '[2, 0, 0, 0, 0, 0, 2]');
    e = edit(e.text, 'received', '[3, 0, 0, 0, 0, 0, 3]');
    e = edit(e.text, 'carried_forward', '[1, 0, 0, 0, 0, 0, 1]');
    const result = checkText(e.text, 'r.yaml');
    const exp = byRule(result.diagnostics, 'T3-EXP');
    expect(exp.map((d) => [d.line, d.col])).toEqual([
      [e.line, itemCol(e.text, e.line, 0)],
      [e.line, itemCol(e.text, e.line, 6)],
    ]);
    expect(exp[0].message).toBe(
      '「自然人」列：一、本年新收 + 二、上年结转 = 3 + 2 = 5，但三、（七）总计 + 四、结转下年度继续办理 = 0 + 1 = 1；两边应相等',
    );
  });

  it('T4-SUM: a 复议/诉讼 group whose 总计 is not its four results', () => {
    const e = edit(template(edition), 'litigation_direct', '[1, 1, 0, 0, 3]');
    const result = checkText(e.text, 'r.yaml');
    const [d] = byRule(result.diagnostics, 'T4-SUM');
    expect(d).toMatchObject({ line: e.line, col: itemCol(e.text, e.line, 4) });
    expect(d.message).toBe('表四「行政诉讼·未经复议直接起诉·总计」列为 3，但结果维持、结果纠正、其他结果、尚未审结之和为 2');
  });

  it('a consistent non-zero edit passes', () => {
    let e = edit(template(edition), 'received', '[3, 1, 0, 0, 0, 0, 4]');
    e = edit(e.text, 'granted', '[2, 1, 0, 0, 0, 0, 3]');
    e = edit(e.text, 'total', '[2, 1, 0, 0, 0, 0, 3]', 'results');
    e = edit(e.text, 'carried_forward', '[1, 0, 0, 0, 0, 0, 1]');
    e = edit(e.text, 'review', '[1, 0, 1, 0, 2]');
    expect(checkText(e.text, 'r.yaml').diagnostics).toEqual([]);
  });
});

describe('2019 表二 rules', () => {
  it('T2-19-DELTA: 上一年项目数量 + 本年增/减 < 0 is an error at 本年增/减', () => {
    let e = edit(template('2019'), 'previous_items', '2', 'licensing');
    e = edit(e.text, 'change', '-3', 'licensing');
    const result = checkText(e.text, 'r.yaml');
    const [d] = byRule(result.diagnostics, 'T2-19-DELTA');
    expect(d).toMatchObject({ line: e.line, col: e.valueCol, severity: 'error' });
    expect(d.message).toBe('表二「第二十条第（五）项·行政许可」行「本年增/减」列为 -3，上一年项目数量加本年增/减为 -1，本年项目数量不能为负数');
  });

  it('a decrease that stays ≥ 0 passes', () => {
    let e = edit(template('2019'), 'previous_items', '5', 'fees');
    e = edit(e.text, 'change', '-5', 'fees');
    expect(checkText(e.text, 'r.yaml').diagnostics).toEqual([]);
  });

  it('T2-19-PUB: 对外公开总数量 < 本年新公开数量 is a warning that does not fail the check', () => {
    let e = edit(template('2019'), 'published', '3', 'normative_documents');
    e = edit(e.text, 'total_published', '1', 'normative_documents');
    const result = checkText(e.text, 'r.yaml');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ rule: 'T2-19-PUB', severity: 'warning', line: e.line, col: e.valueCol });
    expect(result.diagnostics[0].message).toContain('「对外公开总数量」列为 1，小于本年新公开数量 3');
    expect(result.report).toBeDefined();
  });
});
