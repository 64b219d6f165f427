/**
 * The narrative checks of format/text-checks.yaml: the phrasing catalogue against the cells
 * (TX-T2, TX-T3, TX-T4), the year (TX-YEAR), 五 on last year's problems (S5-PREVIOUS) and the
 * writing checks (TEXT-PUNCT, TEXT-DOUBLED, TEXT-PAIRS, TEXT-NUMBERING). Each trips on a report
 * made for it, with the position read off the text, and stays quiet on real reports' phrasing.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/validate/index.js';
import { withReportTextChecks } from '../../src/workspace/checks/report/report-checks.js';
import { reportTextDiagnostics } from '../../src/workspace/checks/report/report-checks.js';
import { entryOf, lineOf, reportFor, yamlText } from '../workspace-fixtures.js';

function report(year = 2024) {
  const r = reportFor(year);
  r.applications.received = [3, 1, 0, 0, 0, 0, 4];
  r.applications.carried_over = [1, 0, 0, 0, 0, 0, 1];
  r.applications.carried_forward = [1, 0, 0, 0, 0, 0, 1];
  if (r.format === '2021') r.applications.results.other.unpaid_fees = [0, 0, 0, 0, 0, 0, 0];
  r.narrative = { problems: '上年度报告指出的问题已整改。', other: '本年度未收取信息处理费。' };
  return r;
}

/** The diagnostics of a report whose 一、总体情况（二） says `text`, with that text's line. */
function run(text: string, year = 2024, tweak?: (r: ReturnType<typeof report>) => void) {
  const r = report(year);
  r.narrative = { ...r.narrative, overview: { on_request: text } };
  tweak?.(r);
  const source = yamlText(r);
  const diagnostics = reportTextDiagnostics(entryOf(source));
  const line = lineOf(source, 'on_request');
  const colOf = (needle: string) => source.split('\n')[line - 1].indexOf(needle) + 1;
  return { diagnostics, line, colOf, source };
}

const rulesOf = (list: readonly { rule: string }[]) => list.map((d) => d.rule);

describe('figures in the text against the tables (format/text-checks.yaml claims)', () => {
  it('is quiet when every stated figure agrees', () => {
    const r = report();
    const results = r.applications.results;
    const text = `本年度新收政府信息公开申请4件，上年结转1件，办结${results.total[6]}件，其中予以公开${results.granted[6]}件，部分公开${results.partially_granted[6]}件，结转下年度继续办理1件。`;
    expect(run(text).diagnostics).toEqual([]);
  });

  it.each([
    ['办结99件', '表三「三、本年度办理结果（七）总计」为'],
    ['予以公开99件', '表三「三、本年度办理结果（一）予以公开」总计为'],
    ['部分公开99件', '表三「三、本年度办理结果（二）部分公开'],
    ['不予公开99件', '表三「三、本年度办理结果（三）不予公开」各项总计之和为'],
  ])('TX-T3 「%s」 at the phrase, naming the cell', (phrase, cell) => {
    const { diagnostics, line, colOf } = run(`本年度${phrase}。`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'TX-T3', severity: 'warning', line, col: colOf(phrase) });
    expect(diagnostics[0].message).toContain(`写「${phrase}」（句子：「本年度${phrase}。」），但${cell}`);
  });

  it('says nothing of a row written with the wrong number of figures (ROW-LENGTH is the finding; its 总计 is unknown)', () => {
    const text = '本年度新收政府信息公开申请4件。';
    // as written, the text agrees with the table
    expect(run(text).diagnostics).toEqual([]);
    // one figure too many: the 7th written (the 总计's place) is 0 now, but the row is wrong, not the text
    expect(run(text, 2024, (r) => (r.applications.received = [9, 3, 1, 0, 0, 0, 0, 4] as unknown as typeof r.applications.received)).diagnostics).toEqual([]);
    // written with the right length, a total that disagrees is still found
    expect(rulesOf(run(text, 2024, (r) => (r.applications.received = [3, 1, 0, 0, 0, 0, 5])).diagnostics)).toEqual(['TX-T3']);
  });

  it('TX-T2 制发规范性文件 against table 二 of either edition', () => {
    const d2021 = run('本年度制发行政规范性文件99件。').diagnostics;
    expect(rulesOf(d2021)).toEqual(['TX-T2']);
    expect(d2021[0].message).toContain('表二「行政规范性文件」「本年制发件数」为');
    const d2019 = run('本年度制发规范性文件99件。', 2020, (r) => ((r.narrative as Record<string, unknown>).problems = '上年问题已整改。')).diagnostics;
    expect(rulesOf(d2019)).toEqual(['TX-T2']);
    expect(d2019[0].message).toContain('「本年新制作数量」为');
  });

  it('均已办结 / 无结转 while 四、结转下年度继续办理 is not 0', () => {
    const { diagnostics, line, colOf } = run('收到的申请均已按时办结，无结转。');
    expect(diagnostics.map((d) => [d.rule, d.line, d.col])).toEqual([
      ['TX-T3', line, colOf('均已按时办结')],
      ['TX-T3', line, colOf('无结转')],
    ]);
    expect(diagnostics[0].message).toBe('一、总体情况中写「均已按时办结」（句子：「收到的申请均已按时办结，无结转。」），但表三「四、结转下年度继续办理」总计为 1');
    expect(run('收到的申请均已按时办结。', 2024, (r) => (r.applications.carried_forward = [0, 0, 0, 0, 0, 0, 0])).diagnostics).toEqual([]);
    expect(run('上年无结转申请。').diagnostics).toEqual([]);
  });
});

describe('TX-YEAR', () => {
  it('warns when a 2024 report opens a sentence with 2023年，', () => {
    const { diagnostics, line, colOf } = run('2023年，我镇认真贯彻落实《条例》。');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'TX-YEAR', line, col: colOf('2023年，') });
    expect(diagnostics[0].message).toContain('这是 2024 年度的报告，却把 2023 年当作本年来写');
  });

  it('does not flag comparisons, the own year, or plans', () => {
    for (const text of ['较2023年增长两成。', '2023年以来，我镇持续推进公开。', '2024年，我镇认真贯彻落实《条例》。', '2025年，我镇将加强培训。', '与2023年相比有所提高。']) {
      expect(run(text).diagnostics, text).toEqual([]);
    }
  });
});

describe('S5-PREVIOUS', () => {
  it('warns when 五 says nothing of last year\'s problems, at 五', () => {
    const r = report();
    r.narrative = { problems: '政策解读形式单一。下一步增加图解解读。', other: '本年度未收取信息处理费。' };
    const source = yamlText(r);
    const diagnostics = reportTextDiagnostics(entryOf(source));
    expect(rulesOf(diagnostics)).toEqual(['S5-PREVIOUS']);
    expect(diagnostics[0].line).toBe(lineOf(source, 'problems:'));
  });

  it('is quiet when 五 speaks of 上年 / 2023年 / 整改', () => {
    for (const problems of ['针对2023年报告所列问题，已建立月度检查。', '去年提出的问题已解决。', '整改措施：组织专题培训。']) {
      const r = report();
      r.narrative = { problems, other: '本年度未收取信息处理费。' };
      expect(reportTextDiagnostics(entryOf(r)), problems).toEqual([]);
    }
  });
});

describe('writing slips', () => {
  it('TEXT-PUNCT: a half-width comma, semicolon, colon or bracket between Chinese characters', () => {
    const { diagnostics, line, colOf } = run('加强培训,提高水平；公开(试行)办法。');
    expect(diagnostics.map((d) => [d.rule, d.line, d.col])).toEqual([
      ['TEXT-PUNCT', line, colOf(',')],
      ['TEXT-PUNCT', line, colOf('(')],
      ['TEXT-PUNCT', line, colOf(')')],
    ]);
    expect(diagnostics[0].message).toBe('一、总体情况中「加强培训,提高水平」用了半角「,」，中文正文应使用全角「，」');
    expect(run('网址为https://www.example.gov.cn/a,b，电话0915-1234567(转8)。').diagnostics).toEqual([]);
  });

  it('TEXT-DOUBLED: 的的, 了了 — but not 为了了解 or 的的确确', () => {
    const { diagnostics, line, colOf } = run('提高了了公开的的质量。');
    expect(diagnostics.map((d) => [d.rule, d.line, d.col]).sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([
      ['TEXT-DOUBLED', line, colOf('了了公开')],
      ['TEXT-DOUBLED', line, colOf('的的质量')],
    ]);
    expect(run('为了了解群众需求，的的确确做到公开。').diagnostics).toEqual([]);
  });

  it('TEXT-PAIRS: an unclosed 《 or “ in a paragraph, at the mark', () => {
    const { diagnostics, line, colOf } = run('认真贯彻落实《条例，推进“放管服改革。');
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([
      ['TEXT-PAIRS', line],
      ['TEXT-PAIRS', line],
    ]);
    expect(diagnostics.map((d) => d.col).sort()).toEqual([colOf('《条例'), colOf('“放管')].sort());
    expect(diagnostics.some((d) => d.message.includes('的「《」没有配对的「》」'))).toBe(true);
    expect(run('认真贯彻落实《条例》，推进“放管服”改革（见附件）。').diagnostics).toEqual([]);
  });

  it('TEXT-NUMBERING: one list numbered 一是 then 2., but not a hierarchy', () => {
    const { diagnostics, source } = run('一是加强培训。\n2.完善制度。');
    expect(rulesOf(diagnostics)).toEqual(['TEXT-NUMBERING']);
    expect(diagnostics[0].line).toBe(lineOf(source, '2.完善制度'));
    expect(diagnostics[0].message).toContain('上一条是「一是」式，这一条「2.」是「1.」式');
    expect(run('（一）存在的问题\n一是认识不足。\n（二）改进情况\n一是加强培训。').diagnostics).toEqual([]);
  });
});

describe('the real reports: what is flagged is really there', () => {
  it('examples/reports: the findings are the seeds\' own slips (listed), no error', async () => {
    const dir = 'examples/reports';
    const found: string[] = [];
    for (const file of readdirSync(dir).sort()) {
      const checked = withReportTextChecks(await checkFile(path.join(dir, file)));
      for (const d of checked.diagnostics) found.push(`${file.slice(0, 4)} ${file.slice(5).replace('人民政府.yaml', '')} ${d.rule}`);
    }
    expect(found).toEqual([
      // 伍桥镇: 五 does not mention last year's problems
      '2020 伍桥镇 S5-PREVIOUS',
      // 八道河镇: （一）（二）（三） typed with half-width brackets; 五 silent on last year
      '2020 八道河镇 S5-PREVIOUS',
      '2020 八道河镇 TEXT-PUNCT',
      '2020 八道河镇 TEXT-PUNCT',
      '2020 八道河镇 TEXT-PUNCT',
      // 兴国镇: the published preface never closes its （地址：…; half-width commas in 一; 五 silent
      '2020 兴国镇 TEXT-PAIRS',
      '2020 兴国镇 TEXT-PUNCT',
      '2020 兴国镇 TEXT-PUNCT',
      '2020 兴国镇 TEXT-PUNCT',
      '2020 兴国镇 TEXT-PUNCT',
      '2020 兴国镇 TEXT-PUNCT',
      '2020 兴国镇 S5-PREVIOUS',
      '2020 红椿镇 S5-PREVIOUS',
      '2021 渠沟镇 S5-PREVIOUS',
    ]);
  });
});
