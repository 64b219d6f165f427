/**
 * Bad-input cases of the narrative as written and of numbers written with a thousands separator
 * (issue 14): a comment that would swallow text, an ASCII quote inside double quotes, `: ` inside a
 * plain line, an init prompt left in, and `1,035` in a cell. Positions are computed here from where
 * the defect is put, independently of the checker. Imported by generate.ts.
 */
import type { Expectation } from './generate.js';

interface Helpers {
  readonly base2021: string;
  /** 1-based line and column of the first appearance of `needle` */
  readonly at: (text: string, needle: string) => { line: number; col: number };
  readonly replaceOnce: (text: string, from: string | RegExp, to: string) => string;
}

type Case = Expectation & { name: string; content: string };

export function narrativeCases({ base2021, at, replaceOnce }: Helpers): Case[] {
  const cases: Case[] = [];
  // 六、其他需要报告的事项 as one line (the base writes it as a block scalar)
  const otherLine = (value: string) => replaceOnce(base2021, /\n {2}other: \|-\n {4}[^\n]*\n/, `\n  other: ${value}\n`);

  {
    const text = otherLine('本年度未收取信息处理费 #审核人：张三 未发出收费通知。');
    cases.push({
      name: 'narrative-comment',
      description: 'a ` #` inside a plain narrative line: the rest would be lost as a YAML comment',
      content: text,
      exit: 1,
      diagnostics: [{ rule: 'NARRATIVE-COMMENT', ...at(text, '#审核人'), message: '「六、其他需要报告的事项」的文字中「#审核人：张三 未发出收费通知。」被 YAML 当作注释' }],
      errors: 1,
    });
  }
  {
    const text = otherLine('"严格执行"三审三校"制度，本年度未收取信息处理费。"');
    cases.push({
      name: 'narrative-ascii-quote',
      description: 'an ASCII " inside a double-quoted narrative line',
      content: text,
      exit: 2,
      diagnostics: [{ rule: 'NARRATIVE-QUOTE', ...at(text, '"三审'), message: '文字中间又有半角「"」：它提前结束了引号', hint: '把文字中的引号改为中文引号“ ”，或改用块格式' }],
      errors: 1,
    });
  }
  {
    const text = otherLine('信息处理费: 本年度未收取。');
    cases.push({
      name: 'narrative-halfwidth-colon',
      description: 'a half-width `: ` inside a plain narrative line',
      content: text,
      exit: 2,
      diagnostics: [{ rule: 'NARRATIVE-COLON', ...at(text, ': 本年度'), message: '正文中有半角冒号加空格「: 」', hint: '改为全角冒号「：」，或改用块格式' }],
      errors: 1,
    });
  }
  {
    const text = replaceOnce(base2021, /\n {2}other: \|-\n {4}[^\n]*\n/, '\n  other: |-\n    请在此填写其他需要报告的事项（含收取信息处理费的情况）。\n');
    cases.push({
      name: 'narrative-unfilled',
      description: "nianbao init's prompt left in a section",
      content: text,
      exit: 1,
      diagnostics: [{ rule: 'NARRATIVE-UNFILLED', ...at(text, '请在此填写'), message: '「六、其他需要报告的事项」还是 nianbao init 写入的提示文字', hint: '把提示文字换成本机关本年度的实际情况' }],
      errors: 1,
    });
  }
  {
    const text = replaceOnce(base2021, /(\n {2}licensing:[^\n]*\n {4}decisions: )0/, '$11,035');
    cases.push({
      name: 'cell-thousands-separator',
      description: '1,035 in a cell: a thousands separator, write 1035',
      content: text,
      exit: 1,
      diagnostics: [{ rule: 'CELL-THOUSANDS', ...at(text, '1,035'), message: '写的是「1,035」：「,」是千位分隔符，单元格里的数不加分隔符', hint: '写作 1035' }],
      errors: 1,
    });
  }
  {
    const text = replaceOnce(base2021, /\n {2}licensing:[^\n]*\n {4}decisions: 0[^\n]*/, '\n  licensing: { decisions: 1,035 }');
    cases.push({
      name: 'flow-thousands-separator',
      description: '{ decisions: 1,035 }: the comma splits the figure and 035 becomes a key',
      content: text,
      exit: 1,
      diagnostics: [{ rule: 'CELL-THOUSANDS', ...at(text, '035 }'), message: '逗号后的数被 YAML 读成了一个键「35」', hint: '把数字连写，如 1,035 写作 1035' }],
      errors: 1,
    });
  }
  return cases;
}
