/**
 * Input traps: encodings, YAML syntax, Chinese-keyboard mistakes, words and units in number cells,
 * unknown keys, edition/year mismatch. Every one is a Chinese diagnostic at the right line:col,
 * never an exception.
 */
import { describe, expect, it } from 'vitest';
import { filledTemplate as initTemplate } from '../helpers/filled.js';
import { checkText } from '../../src/validate/index.js';
import type { CheckedReport } from '../../src/validate/types.js';
import { encodeGbk } from '../helpers/gbk.js';
import { isScalar, parseDocument } from 'yaml';
import { loadYaml } from '../../src/load/yaml.js';

const t2021 = initTemplate({ edition: '2021', year: 2024, agency: '测试镇人民政府', schemaRef: 's.json' });
const t2019 = initTemplate({ edition: '2019', year: 2020, agency: '测试镇人民政府', schemaRef: 's.json' });

/** Replace the first line matching `find` (a substring) with `replace`; returns the text and that 1-based line. */
function replaceLine(text: string, find: string, replace: (line: string) => string): { text: string; line: number; content: string } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(find));
  if (i < 0) throw new Error(`no line with ${find}`);
  lines[i] = replace(lines[i]);
  return { text: lines.join('\n'), line: i + 1, content: lines[i] };
}

function only(result: CheckedReport, rule?: string) {
  const list = rule ? result.diagnostics.filter((d) => d.rule === rule) : result.diagnostics;
  expect(list, JSON.stringify(result.diagnostics, null, 1)).toHaveLength(1);
  return list[0];
}

describe('encodings', () => {
  it('accepts a UTF-8 BOM and CRLF line ends, with lines counted as usual', () => {
    const e = replaceLine(t2021, 'litigation_direct:', (l) => l.replace('[0, 0, 0, 0, 0]', '[0, 0, 0, 0, 1]'));
    const crlf = `\uFEFF${e.text.replace(/\n/g, '\r\n')}`;
    const d = only(checkText(Buffer.from(crlf, 'utf8'), 'r.yaml'));
    expect(d).toMatchObject({ rule: 'T4-SUM', line: e.line, col: e.content.indexOf('1]') + 1 });
  });

  it('accepts UTF-16 with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t2019, 'utf16le')]);
    expect(checkText(le, 'r.yaml').diagnostics).toEqual([]);
  });

  it('names GBK (a report saved by Chinese Windows) and says how to fix it, at the first non-UTF-8 line', () => {
    const text = t2021.replace(/“/g, '"').replace(/”/g, '"'); // keep to characters GBK has
    const bytes = encodeGbk(text);
    expect(Buffer.from(bytes).equals(Buffer.from(text, 'utf8'))).toBe(false);
    const result = checkText(bytes, 'r.yaml');
    expect(result.usable).toBe(false);
    const d = only(result);
    expect(d.rule).toBe('ENCODING');
    expect(d.message).toContain('文件不是 UTF-8 编码（疑似 GBK');
    expect(d.message).not.toContain('另存为');
    expect(d.hint).toBe('在编辑器中“另存为”，编码选 UTF-8');
    expect(d.line).toBe(text.split('\n').findIndex((l) => /[^\x00-\x7f]/.test(l)) + 1);
  });

  it('rejects bytes that are neither UTF-8 nor GBK text', () => {
    const d = only(checkText(Buffer.from([0x66, 0x6f, 0x72, 0xff, 0xfe, 0xff, 0x0a]), 'r.yaml'));
    expect(d.rule).toBe('ENCODING');
    expect(d.message).toMatch(/^文件不是 UTF-8 编码/);
  });
});

describe('YAML structure', () => {
  it('a syntax error is unusable input with a Chinese message and position', () => {
    const e = replaceLine(t2021, 'received:', (l) => l.replace('[0, 0, ', '[0, , '));
    const result = checkText(e.text, 'r.yaml');
    expect(result.usable).toBe(false);
    const d = only(result);
    expect(d).toMatchObject({ rule: 'YAML-SYNTAX', line: e.line });
    expect(d.message).toMatch(/^YAML 语法错误：/);
  });

  it('a duplicate key is an error at the second occurrence', () => {
    const lines = t2021.split('\n');
    const i = lines.findIndex((l) => l.startsWith('year:'));
    lines.splice(i + 1, 0, 'year: 2025');
    const d = only(checkText(lines.join('\n'), 'r.yaml'), 'YAML-DUP-KEY');
    expect(d).toMatchObject({ line: i + 2, col: 1 });
    expect(d.message).toContain('键「year」在同一层级重复出现');
  });

  it('tab indentation is named', () => {
    const e = replaceLine(t2021, '  name:', (l) => `\t${l.trimStart()}`);
    const result = checkText(e.text, 'r.yaml');
    expect(result.usable).toBe(false);
    expect(only(result, 'YAML-TAB')).toMatchObject({ line: e.line });
  });

  it('a full-width colon after a key is named, at the colon', () => {
    const e = replaceLine(t2021, 'carried_over:', (l) => l.replace('carried_over:', 'carried_over：'));
    const result = checkText(e.text, 'r.yaml');
    expect(result.usable).toBe(false);
    const d = only(result);
    expect(d).toMatchObject({ rule: 'FULLWIDTH-COLON', line: e.line, col: e.content.indexOf('：') + 1 });
    expect(d.message).toContain('「carried_over：」用了全角冒号');
  });

  it('full-width colons inside narrative text are not flagged', () => {
    const text = t2021.replace(/problems: .*\n.*/, 'problems: "存在问题：一是认识不足；改进情况：加强培训。"');
    expect(checkText(text, 'r.yaml').diagnostics).toEqual([]);
  });

  it.each([
    ['', '文件是空的'],
    ['# 只有注释\n', '文件是空的'],
    ['- 1\n- 2\n', '文件顶层是一个列表'],
    ['就一句话\n', '文件内容只是一个值「就一句话」'],
  ])('%j is not a report (exit 2)', (text, start) => {
    const result = checkText(text, 'r.yaml');
    expect(result.usable).toBe(false);
    const d = only(result);
    expect(d.rule).toBe('NOT-A-REPORT');
    expect(d.message.startsWith(start)).toBe(true);
  });
});

describe('number cells', () => {
  const cases: [string, string, string, string, string, string][] = [
    // [template, line containing, new value, rule, message fragment, the hint (the fix, apart from the message)]
    ['2019', 'amount:', '905万', 'UNIT-NAME', '「905万」写了单位，单位万元已由表头规定', '写作 905'],
    ['2019', 'amount:', '57万元', 'UNIT-NAME', '「57万元」写了单位，单位万元已由表头规定', '写作 57'],
    ['2019', 'amount:', '251000元', 'UNIT-NAME', '「251000元」以元为单位，表头规定单位为万元', '换算为万元，写作 25.1'],
    ['2019', 'change:', '增53', 'UNIT-NAME', '写的是「增53」，单元格只写数字', '写作 53：增加写正数，减少写负数（如 -8）'],
    ['2019', 'change:', '减8', 'UNIT-NAME', '写的是「减8」，单元格只写数字', '写作 -8：增加写正数，减少写负数（如 -8）'],
    ['2021', 'decisions:', '12件', 'UNIT-NAME', '「12件」写了单位，单元格只写数字', '写作 12'],
    ['2021', 'issued:', '/', 'CELL-PLACEHOLDER', '写的是「/」，不是数字', '没有发生的填 0'],
    ['2021', 'issued:', '-', 'CELL-PLACEHOLDER', '写的是「-」，不是数字', '没有发生的填 0'],
    ['2021', 'issued:', '', 'CELL-BLANK', '为空：空白不等于 0', '没有发生的填 0'],
    ['2021', 'issued:', '"12"', 'CELL-TYPE', '写成了带引号的文字 "12"', '去掉引号，写作 12'],
    ['2021', 'issued:', '１２', 'CELL-TYPE', '「１２」含有空格或全角字符', '写作 12'],
    ['2021', 'issued:', '-3', 'CELL-NEGATIVE', '为 -3，不能为负数', '核对这一格，改为实际的数；没有发生的填 0'],
    ['2021', 'issued:', '1.5', 'CELL-TYPE', '为 1.5，应为非负整数', '只写一个数，不加引号、单位或其他文字'],
    ['2021', 'amount:', '-0.5', 'CELL-NEGATIVE', '为 -0.5，不能为负数', '核对这一格，改为实际的数；没有发生的填 0'],
  ];
  it.each(cases)('%s %s %j → %s', (edition, key, value, rule, fragment, hint) => {
    const e = replaceLine(edition === '2019' ? t2019 : t2021, key, (l) => l.replace(/: 0\b/, value === '' ? ':' : `: ${value}`));
    const d = only(checkText(e.text, 'r.yaml'));
    expect(d.rule).toBe(rule);
    expect(d.message).toContain(fragment);
    expect(d.hint).toBe(hint);
    expect(d.line).toBe(e.line);
    // the cell is named by its official row and column
    expect(d.message).toMatch(/^表二「第二十条第（.）项·[^」]+」行「[^」]+」列/);
  });

  it('a lone - inside a 表三 row is named, at the dash', () => {
    const e = replaceLine(t2021, 'denied:', (l) => l);
    const f = replaceLine(e.text, 'state_secret:', (l) => l.replace('[0, 0', '[0, -'));
    const d = only(checkText(f.text, 'r.yaml'));
    expect(d).toMatchObject({ rule: 'CELL-PLACEHOLDER', line: f.line, col: f.content.indexOf('-') + 1 });
  });

  it('a cell inside a 表三 row is located at its own column', () => {
    const e = replaceLine(t2021, 'granted:', (l) => l.replace('[0, 0, 0', '[0, 0, /'));
    const d = only(checkText(e.text, 'r.yaml'));
    expect(d).toMatchObject({ rule: 'CELL-PLACEHOLDER', line: e.line, col: e.content.indexOf('/') + 1 });
    expect(d.message).toContain('表三「三、本年度办理结果·（一）予以公开」行「法人或其他组织·科研机构」列');
  });

  it('a row with lost columns is named with the expected columns', () => {
    const e = replaceLine(t2021, 'carried_forward:', (l) => l.replace('[0, 0, 0, 0, 0, 0, 0]', '[0, 0, 0, 0, 0]'));
    const d = only(checkText(e.text, 'r.yaml'));
    expect(d.rule).toBe('ROW-LENGTH');
    expect(d.line).toBe(e.line);
    expect(d.message).toBe('「四、结转下年度继续办理」应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实际写了 5 个');
  });
});

describe('keys', () => {
  it('an unknown key is located at the key and gets a "did you mean"', () => {
    const e = replaceLine(t2021, 'carried_over:', (l) => l.replace('carried_over', 'caried_over'));
    const result = checkText(e.text, 'r.yaml');
    const d = only(result, 'UNKNOWN-KEY');
    expect(d).toMatchObject({ line: e.line, col: 3 });
    expect(d.message).toBe('「三、收到和处理政府信息公开申请情况」下没有「caried_over」这一项');
    expect(d.hint).toBe('您是否想写「carried_over」（二、上年结转政府信息公开申请数量）？');
    // the real key is then missing
    expect(only(result, 'MISSING').message).toContain('缺少「二、上年结转政府信息公开申请数量」（carried_over）');
  });

  it('a key written as its Chinese label is mapped to the contract key', () => {
    const e = replaceLine(t2021, '    granted:', (l) => l.replace('granted', '予以公开'));
    const d = only(checkText(e.text, 'r.yaml'), 'UNKNOWN-KEY');
    expect(d.hint).toContain('您是否想写「granted」');
  });

  it('a key of the other edition is named as such', () => {
    const text = t2021.replace('  fees:', '  procurement: {items: 0, amount: 0}\n  fees:');
    const d = only(checkText(text, 'r.yaml'));
    expect(d.rule).toBe('FMT-KEY');
    expect(d.message).toContain('「procurement」（第二十条第（九）项 政府集中采购）属于 2019 版格式');
  });

  it('a missing cell is an error at its parent key', () => {
    const e = replaceLine(t2021, 'repealed:', () => '');
    const d = only(checkText(e.text, 'r.yaml'));
    expect(d.rule).toBe('MISSING');
    expect(d.line).toBe(e.line - 2); // `rules:` two lines above
    expect(d.message).toContain('缺少表二「第二十条第（一）项·规章」行「本年废止件数」列（repealed）');
  });
});

describe('edition and year', () => {
  it('the format must match the year', () => {
    const text = t2019.replace('year: 2020', 'year: 2022');
    const d = only(checkText(text, 'r.yaml'));
    expect(d).toMatchObject({ rule: 'FMT-YEAR', line: text.split('\n').findIndex((l) => l.startsWith('format:')) + 1, col: 9 });
    expect(d.message).toContain('2022 年度报告应使用 2021 版格式（国办公开办函〔2021〕30号）');
  });

  it('an unquoted format is explained', () => {
    const d = only(checkText(t2021.replace('format: "2021"', 'format: 2021'), 'r.yaml'));
    expect(d.rule).toBe('FMT-VERSION');
    expect(d.message).toContain('数字 2021（未加引号）');
  });

  it('a format written as a mapping or a list is named as such, not as [object Object]', () => {
    for (const [written, named] of [['{a: 1}', '一组键值'], ['[2021]', '一个列表']] as const) {
      const found = checkText(t2021.replace('format: "2021"', `format: ${written}`), 'r.yaml').diagnostics.filter((d) => d.rule === 'FMT-VERSION');
      expect(found).toHaveLength(1);
      expect(found[0].message).toContain(`format 写的是${named}`);
      expect(found[0].message).not.toContain('[object');
    }
  });

  it('a phone number written without quotes is explained', () => {
    const text = t2021.replace('  # postcode: ""', '  postcode: 235000');
    const d = only(checkText(text, 'r.yaml'));
    expect(d.rule).toBe('CELL-TYPE');
    expect(d.message).toBe('「邮政编码」应为文字，写的是数字 235000');
    expect(d.hint).toBe('加引号，写作 "235000"（不加引号的数字会丢掉开头的 0）');
  });
});

describe('agency', () => {
  it('a name written straight after agency: is explained', () => {
    const text = t2021.replace(/agency:.*\n  name: .*\n/, 'agency: 测试镇人民政府\n');
    const d = only(checkText(text, 'r.yaml'));
    expect(d.message).toBe('「报告机关」应写成键值对，不是一段文字');
    expect(d.hint).toBe('写作 agency: { name: "测试镇人民政府" }（机关名称写在 name 下）');
  });

  it('agency.parent (上级机关, also a workspace default) and a $schema key are accepted', () => {
    const text = t2021.replace('  # parent: ""', '  parent: 某某县人民政府').replace('format:', '$schema: ../schemas/report-2021.schema.json\nformat:');
    expect(checkText(text, 'r.yaml').diagnostics).toEqual([]);
  });
});

describe('full-width colons and commas', () => {
  it('a Chinese key with a full-width colon is named where YAML breaks on it', () => {
    const e = replaceLine(t2021, '  rules:', (l) => `  规章：\n${l}`);
    const d = only(checkText(e.text, 'r.yaml'));
    expect(d).toMatchObject({ rule: 'FULLWIDTH-COLON', line: e.line, col: 5 });
    expect(d.message).toContain('键名也不是英文');
    expect(d.hint).toContain('键名要用英文');
  });

  it('narrative lines that start with a Latin word and a full-width colon are text, not keys', () => {
    const text = t2021.replace(/  problems: .*/, '  problems: |-\n    一是认识不足。\n    QQ：12345678\n    Email：x@example.cn');
    expect(checkText(text, 'r.yaml').diagnostics).toEqual([]);
  });

  it('a row written with full-width commas is explained', () => {
    const e = replaceLine(t2021, 'received:', (l) => l.replace('[0, 0, 0, 0, 0, 0, 0]', '[0，0，0，0，0，0，0]'));
    const d = checkText(e.text, 'r.yaml').diagnostics.find((x) => x.rule === 'CELL-TYPE')!;
    expect(d.line).toBe(e.line);
    expect(d.message).toContain('一格只写了用全角标点分隔的几个数');
    expect(d.hint).toContain('用半角逗号「,」（不是全角「，」）分隔');
  });

  it('a figure too large to be exact is rejected', () => {
    const e = replaceLine(t2021, 'decisions:', (l) => l.replace(': 0', `: ${'9'.repeat(20)}`));
    expect(only(checkText(e.text, 'r.yaml')).message).toContain('数值过大');
  });
});

describe('rows of the other edition', () => {
  it('（六）其他处理 written the 2021 way in a 2019 report is named', () => {
    const text = t2019.replace(/    other: \[0, 0, 0, 0, 0, 0, 0\].*/, '    other:\n      no_correction: [0, 0, 0, 0, 0, 0, 0]\n      unpaid_fees: [0, 0, 0, 0, 0, 0, 0]\n      other: [0, 0, 0, 0, 0, 0, 0]');
    const d = only(checkText(text, 'r.yaml'));
    expect(d.rule).toBe('FMT-KEY');
    expect(d.message).toBe('「三、本年度办理结果·（六）其他处理」在 2019 版格式（国办公开办函〔2019〕60号）中是一行 7 个数；这里是 2021 版（国办公开办函〔2021〕30号）的写法');
  });

  it('（六）其他处理 written the 2019 way in a 2021 report is named', () => {
    const text = t2021.replace(/    other:.*\n(      .*\n)+/, '    other: [0, 0, 0, 0, 0, 0, 0]\n');
    const d = only(checkText(text, 'r.yaml'));
    expect(d.rule).toBe('FMT-KEY');
    expect(d.message).toContain('在 2021 版格式（国办公开办函〔2021〕30号）中分为 no_correction、unpaid_fees、other 几项');
  });
});

describe('the parsed YAML handed on to the workspace checks', () => {
  const clean = initTemplate({ edition: '2021', year: 2024, agency: '红椿镇人民政府', schemaRef: 's.json' });

  it('is the loader\'s own parse of the text as written, when it parsed cleanly', () => {
    const checked = checkText(clean, 'r.yaml');
    expect(checked.parsed?.text).toBe(clean);
    expect(checked.parsed?.doc.errors).toEqual([]);
    expect(checked.parsed?.doc.toJS()).toEqual(checked.data);
  });

  it('is withheld when a placeholder stood in for a lone dash, or the YAML had an error', () => {
    const dashed = clean.replace(/issued: 0/, 'issued: -');
    expect(dashed).not.toBe(clean);
    expect(checkText(dashed, 'r.yaml').parsed).toBeUndefined();
    const duplicate = `${clean}\nyear: 2024\n`;
    const checked = checkText(duplicate, 'r.yaml');
    expect(checked.usable).toBe(true);
    expect(checked.parsed).toBeUndefined();
  });
});

describe('the written text and tags of scalars', () => {
  it('finds each path as the yaml package\'s getIn does, asked once or many times', () => {
    const source = [
      'a:',
      '  b: [1, 0x10, "x", !!str 5]',
      '  "1": one',
      '  2: two',
      '  c: &anchor {d: 3.0}',
      '  e: *anchor',
      'list:',
      '  - {f: +7}',
      '  - [8, [9]]',
      'plain: 12',
      '',
    ].join('\n');
    const paths: (string | number)[][] = [
      ['a', 'b', 0], ['a', 'b', 1], ['a', 'b', 2], ['a', 'b', 3], ['a', 'b', 4], ['a', 'b', '1'], ['a', '1'], ['a', 1], ['a', 2], ['a', '2'],
      ['a', 'c', 'd'], ['a', 'e'], ['a', 'e', 'd'], ['list', 0, 'f'], ['list', 1, 1, 0], ['list', 1, 1, 0, 'x'], ['list', '0', 'f'],
      ['plain'], ['plain', 'x'], ['missing', 'x'], [],
    ];
    const yaml = loadYaml(source);
    const reference = parseDocument(source);
    const expected = (path: (string | number)[]) => {
      const node = reference.getIn(path, true);
      return {
        written: isScalar(node) && typeof node.source === 'string' ? node.source : undefined,
        tagged: Boolean(node && typeof node === 'object' && 'tag' in node && (node as { tag?: string }).tag),
      };
    };
    // twice over, in two orders: a path asked again, or after its neighbours, gives the same answer
    for (const order of [paths, [...paths].reverse()]) {
      for (const path of order) expect({ path, written: yaml.written(path), tagged: yaml.tagged(path) }).toEqual({ path, ...expected(path) });
    }
    expect(yaml.written(['a', 'b', 1])).toBe('0x10');
    expect(yaml.tagged(['a', 'b', 3])).toBe(true);
  });
});
