/**
 * The transcribed seeds: every report in examples/reports passes (both editions covered); every
 * faithful copy in examples/defects is rejected, naming its real defect at the right line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/validate/index.js';

const reportsDir = path.resolve('examples/reports');
const defectsDir = path.resolve('examples/defects');
const yamlIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

/** 1-based line of the first line containing `fragment` in a file (read independently of the checker). */
function lineOf(file: string, fragment: string, after?: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= start && l.includes(fragment));
  if (i < 0) throw new Error(`${fragment} not in ${file}`);
  return i + 1;
}

describe('examples/reports', () => {
  it('covers both editions', () => {
    const formats = yamlIn(reportsDir).map((f) => /format: "(\d{4})"/.exec(readFileSync(path.join(reportsDir, f), 'utf8'))?.[1]);
    expect(new Set(formats)).toEqual(new Set(['2019', '2021']));
  });

  it.each(yamlIn(reportsDir))('%s passes check with no errors or warnings', async (name) => {
    const result = await checkFile(path.join(reportsDir, name));
    expect(result.diagnostics).toEqual([]);
    expect(result.report?.agency.name).toBe(/^\d{4}-(.+)\.yaml$/.exec(name)![1]);
    expect(result.report?.year).toBe(Number(name.slice(0, 4)));
  });

  it('every defect copy has a corrected copy of the same name', () => {
    for (const name of yamlIn(defectsDir)) expect(yamlIn(reportsDir)).toContain(name);
  });
});

describe('examples/defects', () => {
  it.each(yamlIn(defectsDir))('%s is rejected', async (name) => {
    const result = await checkFile(path.join(defectsDir, name));
    expect(result.usable).toBe(true);
    expect(result.report).toBeUndefined();
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('000 红椿镇: 「905万」 and the blank applicant columns', async () => {
    const file = path.join(defectsDir, '2020-红椿镇人民政府.yaml');
    const { diagnostics } = await checkFile(file);
    const unit = diagnostics.filter((d) => d.rule === 'UNIT-NAME');
    expect(unit).toHaveLength(1);
    expect(unit[0].line).toBe(lineOf(file, 'amount: 905万'));
    expect(unit[0].message).toBe('表二「第二十条第（九）项·政府集中采购」行「采购总金额」列「905万」写了单位，单位万元已由表头规定');
    expect(unit[0].hint).toBe('写作 905');
    const blanks = diagnostics.filter((d) => d.rule === 'CELL-BLANK');
    expect(blanks).toHaveLength(23 * 6); // 23 rows of 表三 (2019), six applicant columns each
    expect(blanks.every((d) => d.message.endsWith('为空：空白不等于 0') && d.hint === '没有发生的填 0')).toBe(true);
  });

  it('001 八道河镇: 「增53」「增3」, full-width spaces, 「114.29万」', async () => {
    const file = path.join(defectsDir, '2020-八道河镇人民政府.yaml');
    const { diagnostics } = await checkFile(file);
    const unit = diagnostics.filter((d) => d.rule === 'UNIT-NAME').map((d) => [d.line, d.message, d.hint]);
    expect(unit).toEqual([
      [lineOf(file, 'change: 增53'), '表二「第二十条第（五）项·行政许可」行「本年增/减」列写的是「增53」，单元格只写数字', '写作 53：增加写正数，减少写负数（如 -8）'],
      [lineOf(file, 'change: 增3'), '表二「第二十条第（六）项·行政处罚」行「本年增/减」列写的是「增3」，单元格只写数字', '写作 3：增加写正数，减少写负数（如 -8）'],
      [lineOf(file, 'amount: 114.29万'), '表二「第二十条第（九）项·政府集中采购」行「采购总金额」列「114.29万」写了单位，单位万元已由表头规定', '写作 114.29'],
    ]);
    expect(diagnostics.filter((d) => d.rule === 'CELL-TYPE' && d.message.includes('「　0」含有空格或全角字符') && d.hint === '写作 0')).toHaveLength(4);
  });

  it('003 兴国镇: the blank 对外公开总数量 and 「57万元」', async () => {
    const file = path.join(defectsDir, '2020-兴国镇人民政府.yaml');
    const { diagnostics } = await checkFile(file);
    expect(diagnostics.map((d) => [d.line, d.rule, d.message, d.hint])).toEqual([
      [lineOf(file, 'total_published:', 'normative_documents:'), 'CELL-BLANK', '表二「第二十条第（一）项·规范性文件」行「对外公开总数量」列为空：空白不等于 0', '没有发生的填 0'],
      [lineOf(file, 'amount: 57万元'), 'UNIT-NAME', '表二「第二十条第（九）项·政府集中采购」行「采购总金额」列「57万元」写了单位，单位万元已由表头规定', '写作 57'],
    ]);
  });

  it('004 伍桥镇: the rows that lost two applicant columns', async () => {
    const file = path.join(defectsDir, '2020-伍桥镇人民政府.yaml');
    const { diagnostics } = await checkFile(file);
    const lost = diagnostics.filter((d) => d.rule === 'ROW-LENGTH');
    // the 20 rows of 三、本年度办理结果 (2019 edition, incl. （七）总计), plus 四、结转下年度继续办理
    expect(lost).toHaveLength(21);
    const total = lost.find((d) => d.message.startsWith('「三、本年度办理结果·（七）总计」'));
    expect(total?.line).toBe(lineOf(file, 'total: [0, 0, 0, 0, 1]'));
    expect(total?.message).toBe('「三、本年度办理结果·（七）总计」应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实际写了 5 个');
    expect(lost.some((d) => d.message.startsWith('「四、结转下年度继续办理」'))).toBe(true);
  });
});
