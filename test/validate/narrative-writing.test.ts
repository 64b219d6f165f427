/**
 * Nothing the clerk wrote is lost: a ` #` after a plain narrative line is a YAML comment
 * (NARRATIVE-COMMENT), and init's prompts are errors until replaced (NARRATIVE-UNFILLED). Positions
 * are read off the edited text, independently of the checker.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/validate/index.js';
import { filledTemplate } from '../helpers/filled.js';

const base = filledTemplate({ edition: '2021', year: 2024, agency: '测试镇人民政府', schemaRef: 's.json' });

/** Replaces the line after `key: |-` (the text of a block scalar) by `key: <value>` on one line. */
function inline(text: string, key: string, value: string): { text: string; line: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(`${key}: |-`));
  const indent = /^\s*/.exec(lines[i])![0];
  lines.splice(i, 2, `${indent}${key}: ${value}`);
  return { text: lines.join('\n'), line: i + 1 };
}

describe('NARRATIVE-COMMENT', () => {
  it('reports a comment after a plain narrative value at its #, with the text that would be lost and the fix', () => {
    const value = '加强保密审查机制 #重点 未发生泄密事件。';
    const { text, line } = inline(base, 'problems', value);
    const lineText = text.split('\n')[line - 1];
    const result = checkText(text, 'r.yaml');
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d).toMatchObject({ rule: 'NARRATIVE-COMMENT', severity: 'error', line, col: lineText.indexOf('#') + 1 });
    expect(d.message).toContain('「五、存在的主要问题及改进情况」的文字中「#重点 未发生泄密事件。」被 YAML 当作注释');
    expect(d.message).not.toContain('块格式');
    expect(d.hint).toContain('改用块格式（键后写「|-」');
    expect(result.report).toBeUndefined();
  });

  it('also inside an overview topic', () => {
    const { text, line } = inline(base, 'platforms', '网站改版 # 已完成');
    const [d] = checkText(text, 'r.yaml').diagnostics;
    expect(d).toMatchObject({ rule: 'NARRATIVE-COMMENT', line, col: text.split('\n')[line - 1].indexOf('#') + 1 });
    expect(d.message).toContain('「一、总体情况（四）政府信息公开平台建设」');
  });

  it('does not fire for a # without a space before it, quoted text, block text, or a comment on its own line', () => {
    for (const value of ['加强机制#重点 未发生泄密事件。', '"加强机制 #重点 未发生泄密事件。"', "'加强机制 #重点'"]) {
      expect(checkText(inline(base, 'problems', value).text, 'r.yaml').diagnostics, value).toEqual([]);
    }
    const block = base.replace('本机关如实报告存在的主要问题', '加强机制 #重点 未发生泄密事件');
    expect(checkText(block, 'r.yaml').diagnostics).toEqual([]);
    const ownLine = base.replace(/(\n  problems: \|-.*\n.*\n)/, '$1  # 审核人：张三\n');
    expect(ownLine).not.toBe(base);
    expect(checkText(ownLine, 'r.yaml').diagnostics).toEqual([]);
  });
});

describe('NARRATIVE-UNFILLED', () => {
  it('reports a prompt left in a quoted one-line value, at the prompt', () => {
    const { text, line } = inline(base, 'other', '"请在此填写其他需要报告的事项。"');
    const [d, ...rest] = checkText(text, 'r.yaml').diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: 'NARRATIVE-UNFILLED', severity: 'error', line, col: text.split('\n')[line - 1].indexOf('请在此填写') + 1 });
    expect(d.message).toContain('「六、其他需要报告的事项」还是 nianbao init 写入的提示文字');
    expect(d.hint).toBe('把提示文字换成本机关本年度的实际情况（每段一行）');
  });
});

describe('findings whose hint tells the fix', () => {
  it('an ASCII " inside a double-quoted narrative line: NARRATIVE-QUOTE at that quote', () => {
    const { text, line } = inline(base, 'problems', '"落实"三审三校"制度"');
    const result = checkText(text, 'r.yaml');
    expect(result.diagnostics).toHaveLength(1);
    const lineText = text.split('\n')[line - 1];
    expect(result.diagnostics[0]).toMatchObject({ rule: 'NARRATIVE-QUOTE', severity: 'error', line, col: lineText.indexOf('"', lineText.indexOf('"') + 1) + 1 });
    expect(result.diagnostics[0].message).toContain('文字中间又有半角「"」：它提前结束了引号，后面的文字无法读取');
    expect(result.diagnostics[0].hint).toContain('把文字中的引号改为中文引号“ ”，或改用块格式');
  });

  it('a half-width ": " inside a plain narrative line: NARRATIVE-COLON at the colon', () => {
    const { text, line } = inline(base, 'other', '主要问题: 公开不及时');
    const result = checkText(text, 'r.yaml');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ rule: 'NARRATIVE-COLON', line, col: text.split('\n')[line - 1].indexOf(': 公开') + 1 });
    expect(result.diagnostics[0].message).toContain('正文中有半角冒号加空格「: 」');
    expect(result.diagnostics[0].hint).toContain('改为全角冒号「：」');
  });

  it('1,035 in a cell, a row and a flow mapping: CELL-THOUSANDS or a hint, saying to write 1035', () => {
    const cell = base.replace(/(licensing:.*\n\s+decisions: )0/, '$11,035');
    const cellLine = cell.split('\n').findIndex((l) => l.includes('1,035')) + 1;
    const [c] = checkText(cell, 'r.yaml').diagnostics;
    expect(c).toMatchObject({ rule: 'CELL-THOUSANDS', line: cellLine, col: cell.split('\n')[cellLine - 1].indexOf('1,035') + 1 });
    expect(c.message).toContain('「,」是千位分隔符，单元格里的数不加分隔符');
    expect(c.hint).toBe('写作 1035');

    const row = base.replace('received: [0, 0, 0, 0, 0, 0, 0]', 'received: [1,035, 0, 0, 0, 0, 0, 1035]');
    const r = checkText(row, 'r.yaml').diagnostics.find((d) => d.rule === 'ROW-LENGTH')!;
    expect(r.message).toContain('应有 7 个数');
    expect(r.hint).toBe('「1,035」若是一个数，「,」是千位分隔符：写作 1035（单元格里的数不加分隔符）');

    const flow = base.replace(/licensing:.*\n\s+decisions: 0/, 'licensing: { decisions: 1,035 }');
    const flowLine = flow.split('\n').findIndex((l) => l.includes('1,035')) + 1;
    const f = checkText(flow, 'r.yaml').diagnostics;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'CELL-THOUSANDS', line: flowLine, col: flow.split('\n')[flowLine - 1].indexOf('035') + 1 });
    expect(f[0].message).toContain('数字中的千位分隔符把一个数拆开了');
    expect(f[0].hint).toContain('如 1,035 写作 1035');
  });

  it('the wrong edition for the year is one error naming the edition and why', () => {
    const text = base.replace('year: 2024', 'year: 2020');
    const result = checkText(text, 'r.yaml');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0].rule).toBe('FMT-YEAR');
    expect(result.diagnostics[0].message).toContain('2020 年度报告应使用 2019 版格式（国办公开办函〔2019〕60号）');
  });
});

describe('EMPTY-TEXT', () => {
  const source = readFileSync('examples/reports/2021-渠沟镇人民政府.yaml', 'utf8');

  it('a required item written empty is to be filled, not deleted (deleting it is another error)', () => {
    const [d, ...rest] = checkText(source.replace('name: "渠沟镇人民政府"', 'name: ""'), 'r.yaml').diagnostics;
    expect(rest).toEqual([]);
    expect([d.rule, d.line, d.message]).toEqual(['EMPTY-TEXT', 7, '「机关名称」不能为空']);
    expect(d.hint).toBe('填写这一项：这是必填项，不能删去');
    // and deleting it is indeed an error
    expect(checkText(source.replace(/^ {2}name: .*\n/m, ''), 'r.yaml').diagnostics.some((x) => x.severity === 'error')).toBe(true);
  });

  it('an optional item written empty may be filled or deleted', () => {
    const [d, ...rest] = checkText(source.replace('office: "党政办"', 'office: ""'), 'r.yaml').diagnostics;
    expect(rest).toEqual([]);
    expect([d.rule, d.line, d.hint]).toEqual(['EMPTY-TEXT', 8, '填写这一项；选填的项不需要时可删去这一行，必填的项不能删去']);
    expect(checkText(source.replace(/^ {2}office: .*\n/m, ''), 'r.yaml').diagnostics).toEqual([]);
  });
});
