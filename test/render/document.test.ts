/** The document the default templates compose: title, preface, six sections, tables in place, 落款. */
import { describe, expect, it } from 'vitest';
import { edition as editionInfo, EDITION_IDS, OVERVIEW_TOPICS, SECTIONS } from '../../src/format/official.js';
import { buildDocument } from '../../src/model/build-document.js';
import { formatDate } from '../../src/model/compose/context.js';
import type { Block } from '../../src/model/document.js';
import type { Report } from '../../src/format/report.js';
import { distinctReport } from '../helpers/sample.js';

const texts = (blocks: readonly Block[]) => blocks.map((b) => (b.kind === 'paragraph' || b.kind === 'heading' ? b.text : b.kind === 'table' ? `[${b.table}]` : b.kind === 'title' || b.kind === 'signature' ? b.lines.join('|') : b.kind));

describe.each(EDITION_IDS)('default document, %s edition', (edition) => {
  const report = distinctReport(edition);
  const doc = buildDocument(report);

  it('has the title {机关}{年}年政府信息公开工作年度报告 in two lines', () => {
    expect(doc.blocks[0]).toEqual({ kind: 'title', lines: ['测试镇人民政府', `${report.year}年政府信息公开工作年度报告`] });
    expect(doc.meta).toEqual({ title: `测试镇人民政府${report.year}年政府信息公开工作年度报告`, author: '测试镇人民政府', year: report.year, edition, lang: 'zh-CN' });
  });

  it('generates the customary preface from agency when the narrative has none', () => {
    const preface = doc.blocks[1];
    expect(preface.kind).toBe('paragraph');
    const text = preface.kind === 'paragraph' ? preface.text : '';
    expect(text).toContain('《中华人民共和国政府信息公开条例》');
    expect(text).toContain(editionInfo(edition).notice);
    expect(text).toContain('全文包括“总体情况”“主动公开政府信息情况”“收到和处理政府信息公开申请情况”“政府信息公开行政复议、行政诉讼情况”“存在的主要问题及改进情况”“其他需要报告的事项”六部分');
    expect(text).toContain(`统计期限自${report.year}年1月1日起至${report.year}年12月31日止`);
    expect(text).toContain('请与测试镇人民政府党政办联系（地址：测试镇政府路1号，邮编：100000，电话：0000-1234567）');
    expect(text).not.toContain('电子版'); // no website given
  });

  it('has the six official headings in order, each table right after its heading', () => {
    const headings = doc.blocks.filter((b) => b.kind === 'heading' && b.level === 1).map((b) => (b.kind === 'heading' ? b.text : ''));
    expect(headings).toEqual(['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']);
    for (const section of SECTIONS.filter((s) => s.table)) {
      const at = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text === section.heading);
      expect(doc.blocks[at + 1]).toMatchObject({ kind: 'table', table: section.table });
    }
  });

  it('ends with the 落款: agency and date written 2025年1月20日', () => {
    expect(doc.blocks.at(-1)).toEqual({ kind: 'signature', lines: ['测试镇人民政府', `${report.year + 1}年1月20日`] });
  });
});

describe('narrative in the document', () => {
  const base = distinctReport('2021');
  const build = (narrative: Report['narrative'], extra: Partial<Report> = {}) => buildDocument({ ...base, ...extra, narrative } as Report);

  it('writes overview topics under （一）…（五）, only those given, one paragraph per line', () => {
    const doc = build({ overview: { active: '主动公开甲。\n\n　　主动公开乙。', oversight: '监督保障。' }, problems: '问题。\n措施。', other: '未收取信息处理费。' });
    const t = texts(doc.blocks);
    const from = t.indexOf('一、总体情况');
    expect(t.slice(from, t.indexOf('二、主动公开政府信息情况'))).toEqual(['一、总体情况', OVERVIEW_TOPICS[0].heading, '主动公开甲。', '主动公开乙。', OVERVIEW_TOPICS[4].heading, '监督保障。']);
    expect(t.slice(t.indexOf('五、存在的主要问题及改进情况'))).toEqual(['五、存在的主要问题及改进情况', '问题。', '措施。', '六、其他需要报告的事项', '未收取信息处理费。', '测试镇人民政府|2025年1月20日']);
    for (const b of doc.blocks) if (b.kind === 'paragraph') expect(b.indent).toBe(true);
  });

  it('writes an overview given as one text without topic headings', () => {
    const t = texts(build({ overview: '总体情况第一段。\n总体情况第二段。' }).blocks);
    expect(t.slice(t.indexOf('一、总体情况'), t.indexOf('二、主动公开政府信息情况'))).toEqual(['一、总体情况', '总体情况第一段。', '总体情况第二段。']);
  });

  it('uses the narrative preface instead of the generated one', () => {
    const t = texts(build({ preface: '自拟开头段。' }).blocks);
    expect(t.slice(1, 3)).toEqual(['自拟开头段。', '一、总体情况']);
  });

  it('says where the report is published when agency.website is given', () => {
    const doc = buildDocument({ ...base, agency: { ...base.agency, website: '测试县人民政府门户网站' } } as Report);
    expect(texts(doc.blocks)[1]).toContain('本报告电子版可在测试县人民政府门户网站查阅和下载。');
  });

  it('omits absent contact details and a missing date', () => {
    const doc = buildDocument({ ...base, agency: { name: '某某局' }, date: undefined } as unknown as Report);
    expect(texts(doc.blocks)[1]).toMatch(/如对本报告有疑问，请与某某局联系。$/);
    expect(doc.blocks.at(-1)).toEqual({ kind: 'signature', lines: ['某某局'] });
  });
});

describe('formatDate', () => {
  it('writes Arabic numerals without leading zeros (GB/T 9704)', () => {
    expect(formatDate('2025-01-05')).toBe('2025年1月5日');
    expect(formatDate('2025-12-31')).toBe('2025年12月31日');
  });
});

describe('determinism', () => {
  it('builds the same document twice', () => {
    const report = distinctReport('2019');
    expect(JSON.stringify(buildDocument(report))).toBe(JSON.stringify(buildDocument(structuredClone(report))));
  });
});
