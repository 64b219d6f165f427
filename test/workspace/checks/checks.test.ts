/**
 * Narrative against tables (TX-T3, TX-T4), the 2021 section checks (S6-FEE, S5-EMPTY), another
 * agency's name (WS-FOREIGN-NAME) and 内容雷同 (WS-SIMILAR): each caught with the passage quoted at
 * its line:col, and quiet on a consistent report.
 */
import { describe, expect, it } from 'vitest';
import { narrativeDiagnostics, parseNumber } from '../../../src/workspace/checks/report/narrative.js';
import { foreignNameDiagnostics, overlap, SectionIndex, similarityDiagnostics } from '../../../src/workspace/checks/similarity.js';
import { narrativeTexts } from '../../../src/workspace/checks/entry.js';
import { entryOf, lineOf, reportFor, yamlText } from '../../workspace-fixtures.js';

function withFigures(year = 2021) {
  const r = reportFor(year);
  r.applications.received = [1, 1, 0, 0, 0, 0, 2];
  r.applications.carried_over = [1, 0, 0, 0, 0, 0, 1];
  r.applications.carried_forward = [0, 0, 0, 0, 0, 0, 0];
  if (r.format === '2021') r.applications.results.other.unpaid_fees = [0, 0, 0, 0, 0, 0, 0];
  r.review_litigation.review = [1, 0, 0, 0, 1];
  r.review_litigation.litigation_direct = [0, 0, 0, 1, 1];
  r.review_litigation.litigation_after_review = [0, 0, 0, 0, 0];
  r.narrative = {
    overview: { on_request: '本年度共收到政府信息公开申请2件，上年结转1件，无结转下年度的申请。' },
    problems: '政策解读形式单一，下一步增加图解解读。',
    other: '本年度未收取信息处理费。',
  };
  return r;
}

const rules = (list: { rule: string }[]) => list.map((d) => d.rule);

describe('narrative against tables', () => {
  it('passes a text whose figures agree with tables 三 and 四', () => {
    const r = withFigures();
    r.narrative!.overview = { on_request: '共收到政府信息公开申请2件，上年结转1件，结转下年度0件。', oversight: '发生行政复议1件、行政诉讼1件。' };
    expect(narrativeDiagnostics(entryOf(r))).toEqual([]);
  });

  it('accepts 收到申请 counted with 上年结转 (一 + 二 = 三（七）+ 四)', () => {
    const r = withFigures();
    r.narrative!.overview = { on_request: '共受理政府信息公开申请3件。' };
    expect(narrativeDiagnostics(entryOf(r))).toEqual([]);
  });

  it('TX-T3: a stated application count that disagrees is a warning at the passage, quoting it', () => {
    const r = withFigures();
    r.narrative!.overview = { on_request: '本年度，全镇共收到政府信息公开申请5件，均已按时答复。' };
    const source = yamlText(r);
    const diagnostics = narrativeDiagnostics(entryOf(source));
    expect(rules(diagnostics)).toEqual(['TX-T3']);
    const [d] = diagnostics;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('收到政府信息公开申请5件');
    expect(d.message).toContain('一、本年新收政府信息公开申请数量');
    expect(d.message).toContain('总计为 2');
    const line = lineOf(source, '全镇共收到');
    expect(d.line).toBe(line);
    expect(d.col).toBe(source.split('\n')[line - 1].indexOf('收到政府信息公开申请5件') + 1);
  });

  it('TX-T3: 上年结转 and 结转下年度, also in Chinese numerals', () => {
    const r = withFigures();
    r.narrative!.overview = { on_request: '上年结转三件，结转下年度继续办理两件。' };
    const diagnostics = narrativeDiagnostics(entryOf(r));
    expect(rules(diagnostics)).toEqual(['TX-T3', 'TX-T3']);
    expect(diagnostics[0].message).toContain('二、上年结转政府信息公开申请数量');
    expect(diagnostics[1].message).toContain('四、结转下年度继续办理');
  });

  it('TX-T4: 行政复议 and 行政诉讼 counts, and a stated absence that the table contradicts', () => {
    const r = withFigures();
    r.narrative!.overview = { oversight: '全年发生政府信息公开行政复议2件。未发生政府信息公开行政诉讼。' };
    const diagnostics = narrativeDiagnostics(entryOf(r));
    expect(rules(diagnostics)).toEqual(['TX-T4', 'TX-T4']);
    expect(diagnostics[0].message).toContain('表四「行政复议」「总计」为 1');
    expect(diagnostics[1].message).toContain('未发生政府信息公开行政诉讼');
    expect(diagnostics[1].message).toContain('表四「行政诉讼」「未经复议直接起诉」「总计」 1 与 表四「行政诉讼」「复议后起诉」「总计」 0 之和为 1');
  });

  it('ignores figures printed through placeholders (they come from the table)', () => {
    const r = withFigures();
    r.narrative!.overview = { on_request: '共收到政府信息公开申请{{三.一.总计}}件。' };
    expect(narrativeDiagnostics(entryOf(r))).toEqual([]);
  });

  it('reads Chinese numerals', () => {
    expect([parseNumber('12'), parseNumber('十二'), parseNumber('两'), parseNumber('一百零五'), parseNumber('二十'), parseNumber('零')]).toEqual([12, 12, 2, 105, 20, 0]);
  });
});

describe('2021 edition: 六 states the 信息处理费 situation, 五 is not empty', () => {
  it('S6-FEE when 六 is silent about the fee, with the official name when an informal one is used', () => {
    const r = withFigures();
    r.narrative!.other = '无。';
    expect(rules(narrativeDiagnostics(entryOf(r)))).toEqual(['S6-FEE']);
    r.narrative!.other = '本年度未收取信息公开处理费。';
    const [d] = narrativeDiagnostics(entryOf(r));
    expect(d.rule).toBe('S6-FEE');
    expect(d.message).toContain('「信息公开处理费」');
    expect(d.message).toContain('不是《政府信息公开信息处理费管理办法》的正式名称');
    expect(d.hint).toBe('改用正式名称「信息处理费」');
  });

  it('S6-T3 when table 三 counts unpaid fees but 六 mentions no 收费通知', () => {
    const r = withFigures();
    if (r.format !== '2021') throw new Error('2021 expected');
    r.applications.results.other.unpaid_fees = [1, 0, 0, 0, 0, 0, 1];
    const [d] = narrativeDiagnostics(entryOf(r));
    expect(d.rule).toBe('S6-T3');
    expect(d.message).toContain('总计为 1');
    r.narrative!.other = '本年度发出信息处理费收费通知1件，申请人逾期未缴纳，未实际收取信息处理费。';
    expect(narrativeDiagnostics(entryOf(r))).toEqual([]);
  });

  it('S5-EMPTY when 五 is missing or only says 无', () => {
    const r = withFigures();
    r.narrative!.problems = '无';
    expect(rules(narrativeDiagnostics(entryOf(r)))).toEqual(['S5-EMPTY']);
    delete r.narrative!.problems;
    expect(rules(narrativeDiagnostics(entryOf(r)))).toEqual(['S5-EMPTY']);
  });

  it('does not apply to the 2019 edition', () => {
    const r = withFigures(2020);
    r.narrative!.other = '无。';
    r.narrative!.problems = '无';
    expect(narrativeDiagnostics(entryOf(r))).toEqual([]);
  });
});

describe('another agency of the workspace named in the text', () => {
  it('warns with the passage quoted at the name (seed 003: 莲花镇 in 兴国镇\'s report)', () => {
    const own = reportFor(2020, '兴国镇人民政府');
    own.narrative = { problems: '下一步，莲花镇下一阶段将主要做好以下几方面工作：一是加强培训。' };
    const source = yamlText(own);
    const me = entryOf(source, 'reports/2020/兴国镇.yaml');
    const sibling = entryOf(reportFor(2020, '莲花镇人民政府'), 'reports/2020/莲花镇.yaml');
    const county = entryOf(reportFor(2020, '兴国县人民政府'), 'reports/2020/兴国县.yaml');
    const diagnostics = foreignNameDiagnostics(me, [me, sibling, county]);
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d).toMatchObject({ rule: 'WS-FOREIGN-NAME', severity: 'warning' });
    expect(d.message).toContain('「莲花镇」');
    expect(d.message).toContain('莲花镇下一阶段将主要做好');
    const line = lineOf(source, '莲花镇下一阶段');
    expect(d.line).toBe(line);
    expect(d.col).toBe(source.split('\n')[line - 1].indexOf('莲花镇') + 1);
    // the span is the name itself, for an editor to underline
    expect(d.endLine).toBe(line);
    expect(source.split('\n')[line - 1].slice(d.col - 1, d.endCol - 1)).toBe('莲花镇');
  });

  it('does not flag the agency\'s own name, nor its parent government', () => {
    const own = reportFor(2021, '红椿镇人民政府');
    own.agency.parent = '云溪县人民政府';
    own.narrative = { overview: '红椿镇在云溪县人民政府的统一部署下推进政务公开。' };
    const me = entryOf(own);
    const county = entryOf(reportFor(2021, '云溪县人民政府'), 'reports/county.yaml');
    expect(foreignNameDiagnostics(me, [me, county])).toEqual([]);
  });

  it('does not flag a county report naming the townships under it', () => {
    const county = reportFor(2021, '云溪县人民政府');
    county.narrative = { overview: '指导红椿镇、青石镇完善政务公开专栏。' };
    const town = reportFor(2021, '红椿镇人民政府');
    town.agency.parent = '云溪县人民政府';
    const me = entryOf(county, 'reports/county.yaml');
    expect(foreignNameDiagnostics(me, [me, entryOf(town, 'reports/town.yaml')])).toEqual([]);
  });
});

describe('内容雷同', () => {
  const text = '本年度，我镇深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，围绕群众关切推进决策、执行、管理、服务、结果公开，切实保障人民群众的知情权、参与权和监督权。';

  it('warns when a section repeats last year\'s, quoting the shared passage', () => {
    const last = reportFor(2020);
    last.narrative = { problems: text };
    const current = reportFor(2021);
    current.narrative = { problems: text.replace('本年度', '2021年'), other: '未收取信息处理费。' };
    const source = yamlText(current);
    const diagnostics = similarityDiagnostics(entryOf(source), [{ entry: entryOf(last, 'r/2020.yaml', 'reports/2020/兴国镇.yaml'), relation: 'previous' }], 0.8);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'WS-SIMILAR', severity: 'warning' });
    expect(diagnostics[0].message).toContain('五、存在的主要问题及改进情况');
    expect(diagnostics[0].message).toContain('上年（2020年）本机关报告');
    expect(diagnostics[0].message).toContain('我镇深入贯彻落实');
    expect(diagnostics[0].line).toBe(lineOf(source, 'problems:'));
  });

  it('warns for a sibling\'s copied section, and stays quiet for independent texts', () => {
    const a = reportFor(2021, '甲镇人民政府');
    a.narrative = { overview: text };
    const b = reportFor(2021, '乙镇人民政府');
    b.narrative = { overview: text };
    expect(similarityDiagnostics(entryOf(a), [{ entry: entryOf(b), relation: 'sibling' }], 0.8)[0].message).toContain('乙镇人民政府的报告');
    b.narrative = { overview: '乙镇全年通过政务公开栏、微信公众号发布惠民政策、项目建设和财政资金使用信息，重点做好低保、医保、养老补贴等民生领域的公开，群众满意度逐年提高。' };
    expect(similarityDiagnostics(entryOf(a), [{ entry: entryOf(b), relation: 'sibling' }], 0.8)).toEqual([]);
  });

  it('gives, through a year\'s section index, the same shares and the same warnings as comparing pair by pair', () => {
    // texts sharing random runs of a common stock, so that shares spread from none to all
    const stock = `${text}乙镇全年通过政务公开栏、微信公众号发布惠民政策、项目建设和财政资金使用信息，重点做好低保、医保、养老补贴等民生领域的公开。`;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const piece = () => {
      const from = Math.floor(random() * stock.length);
      return stock.slice(from, from + 20 + Math.floor(random() * 60));
    };
    const entries = Array.from({ length: 12 }, (_, i) => {
      const r = reportFor(2021, `第${i}镇人民政府`);
      r.narrative = { overview: { active: piece() + piece() + (random() < 0.5 ? piece() : '独有的文字'.repeat(i + 1)) }, problems: piece() + piece() };
      return entryOf(r, `r/${i}.yaml`, `reports/2021/第${i}镇.yaml`);
    });
    const index = new SectionIndex(entries);
    let warned = 0;
    for (const entry of entries) {
      for (const { key, text: mine } of narrativeTexts(entry.data)) {
        const shares = index.shares(key, mine);
        for (const other of entries) {
          const theirs = narrativeTexts(other.data).find((t) => t.key === key);
          expect(shares(other)).toBe(theirs ? overlap(mine, theirs.text).share : 0);
        }
      }
      const others = entries.filter((e) => e !== entry).map((e) => ({ entry: e, relation: 'sibling' as const }));
      const direct = similarityDiagnostics(entry, others, 0.5);
      expect(similarityDiagnostics(entry, others, 0.5, index)).toEqual(direct);
      warned += direct.length;
    }
    expect(warned).toBeGreaterThan(0);
  });

  it('measures the share of 5-character passages found in the other text', () => {
    expect(overlap(text, text).share).toBe(1);
    expect(overlap(text, '完全不同的文字内容').share).toBe(0);
    const half = overlap(text, text.slice(0, Math.floor(text.length / 2)));
    expect(half.share).toBeGreaterThan(0.4);
    expect(half.share).toBeLessThan(0.6);
  });
});

describe('内容雷同: thresholds, grouping and a bounded output', () => {
  const text = '本年度，我镇深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，围绕群众关切推进决策、执行、管理、服务、结果公开，切实保障人民群众的知情权、参与权和监督权。';
  // about 60% of the text kept, the rest rewritten
  const partly = `${text.slice(0, Math.floor(text.length * 0.6))}全年通过政务公开栏和微信公众号发布惠民政策与项目建设信息，群众反映良好，满意度逐年提高。`;

  it('last year\'s report warns from 50% by default; another agency\'s only from 80%; the share is named', () => {
    const last = reportFor(2020);
    last.narrative = { problems: text };
    const sibling = reportFor(2021, '乙镇人民政府');
    sibling.narrative = { problems: text };
    const current = reportFor(2021);
    current.narrative = { problems: partly };
    const thresholds = { previous: 0.5, others: 0.8 };
    const mine = entryOf(current);
    const withLast = similarityDiagnostics(mine, [{ entry: entryOf(last, 'r/2020.yaml', 'reports/2020/兴国镇.yaml'), relation: 'previous' }], thresholds);
    expect(withLast).toHaveLength(1);
    expect(withLast[0].message).toMatch(/与上年（2020年）本机关报告（reports\/2020\/兴国镇\.yaml）的同一部分内容雷同：(5\d|6\d)% 的文字相同（超过 50%）/);
    expect(similarityDiagnostics(mine, [{ entry: entryOf(sibling, 'r/乙.yaml', 'reports/2021/乙镇.yaml'), relation: 'sibling' }], thresholds)).toEqual([]);
  });

  it('1,000 identical reports: one finding per report and section, listing five others and the count, quickly', () => {
    // only what the comparison reads: the agency, the year and the narrative
    const entries = Array.from({ length: 1000 }, (_, i) =>
      entryOf(`format: "2021"\nyear: 2021\nagency:\n  name: 第${i}镇人民政府\nnarrative:\n  overview: ${text}\n  problems: ${text}（问题）\n`, `r/${i}.yaml`, `reports/2021/第${String(i).padStart(4, '0')}镇.yaml`),
    );
    const index = new SectionIndex(entries);
    const started = performance.now();
    let count = 0;
    let bytes = 0;
    let first: string | undefined;
    for (const entry of entries) {
      const others = entries.filter((e) => e !== entry).map((e) => ({ entry: e, relation: 'sibling' as const }));
      const found = similarityDiagnostics(entry, others, { previous: 0.5, others: 0.8 }, index);
      count += found.length;
      for (const d of found) bytes += Buffer.byteLength(d.message);
      first ??= found[0]?.message;
    }
    expect(count).toBe(2000);
    expect(bytes).toBeLessThan(2000 * 700);
    expect(first).toContain('与其他 999 份报告的同一部分内容雷同（80% 以上的文字相同）：');
    expect(first).toContain('第1镇人民政府（reports/2021/第0001镇.yaml，100%）');
    expect(first).toContain('第5镇人民政府（reports/2021/第0005镇.yaml，100%） 等 999 份');
    expect(first).not.toContain('第6镇人民政府');
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
