/**
 * Nothing the clerk wrote is lost: a ` #` after a plain narrative line is a YAML comment
 * (NARRATIVE-COMMENT), and init's prompts are errors until replaced (NARRATIVE-UNFILLED). Positions
 * are read off the edited text, independently of the checker.
 */
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/validate/index.js';
import { filledTemplate } from './helpers/filled.js';

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
    expect(d.message).toContain('请改用块格式（键后写「|-」');
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
  });
});
