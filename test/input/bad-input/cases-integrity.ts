/**
 * Bad-input cases of issue 18 part A, "what check accepts is what is published": figures in forms a
 * float would change (`0x10`, `1e2`, `3.0`, `4.999999999999999999`, `1e-400`, money beyond 6
 * places), dates off the calendar and an impossible year, invisible / bidi / control characters and
 * characters the bundled PDF fonts cannot draw, explicit YAML tags, and control characters in keys
 * that must not reach the terminal raw. Positions are computed from where the defect is put.
 */
import type { Case } from './generate.js';

interface Helpers {
  add(c: Case): void;
  at(text: string, needle: string, occurrence?: number): { line: number; col: number };
  replaceOnce(text: string, from: string | RegExp, to: string): string;
  setRow(text: string, indent: number, key: string, values: string[]): { text: string; item: (i: number) => { line: number; col: number } };
  BASE_2021: string;
  BASE_2019: string;
}

const LICENSING = '表二「第二十条第（五）项·行政许可」行「本年处理决定数量」列';
const FEES = '表二「第二十条第（八）项·行政事业性收费」行「本年收费金额（单位：万元）」列';

export function integrityCases({ add, at, replaceOnce, setRow, BASE_2021, BASE_2019 }: Helpers): void {
  // ------------------------------------------------------------ number forms (表二 行政许可: no sum involved)
  const licensing = (raw: string) => replaceOnce(BASE_2021, /\n  licensing: +# [^\n]*\n    decisions: 0/, `\n  licensing:\n    decisions: ${raw}`);
  const countCase = (name: string, raw: string, message: string, hint?: string) => {
    const text = licensing(raw);
    add({
      name,
      description: `\`${raw}\` as a count: YAML reads it as a number, but a count is written as a plain decimal integer`,
      content: text,
      exit: 1,
      diagnostics: [{ rule: 'CELL-FORM', ...at(text, `decisions: ${raw}`), col: at(text, `decisions: ${raw}`).col + 'decisions: '.length, message, ...(hint ? { hint } : {}) }],
      errors: 1,
    });
  };
  countCase('form-hex', '0x10', `${LICENSING}写的是「0x10」，这是十六进制写法：应为非负整数`, '写作 16');
  countCase('form-octal', '0o10', '「0o10」，这是八进制写法：应为非负整数', '写作 8');
  countCase('form-exponent', '1e2', '「1e2」，这是科学计数法（带 e）：应为非负整数', '写作 100');
  countCase('form-exponent-point', '.5e1', '「.5e1」，这是科学计数法（带 e）：应为非负整数', '写作 5');
  countCase('form-plus', '+5', '「+5」，数字前不写「+」：应为非负整数', '写作 5');
  countCase('form-point-zero', '3.0', '「3.0」，带有小数点：应为非负整数，不写小数点', '写作 3');
  countCase('form-trailing-point', '5.', '「5.」，带有小数点：应为非负整数，不写小数点', '写作 5');
  countCase('form-leading-zero', '010', '「010」，开头多写了 0：应为非负整数', '写作 10');
  // a float reads this as 5: it must not be published as 5, nor suggested
  countCase('form-near-integer', '4.999999999999999999', '「4.999999999999999999」，带有小数点：应为非负整数，不写小数点');
  // a float reads this as 0: not 0 as the clerk meant it, so no suggestion either
  countCase('form-underflow', '1e-400', '「1e-400」，这是科学计数法（带 e）：应为非负整数', '用普通十进制写出这个数');

  // the year is a count too
  {
    const text = replaceOnce(BASE_2021, '\nyear: 2021\n', '\nyear: 2021.0\n');
    add({ name: 'form-year-point', description: '`year: 2021.0`', content: text, exit: 1, diagnostics: [{ rule: 'CELL-FORM', line: at(text, 'year: 2021.0').line, col: 7, message: '「报告年度」写的是「2021.0」，带有小数点：应为非负整数，不写小数点', hint: '写作 2021' }], errors: 1 });
  }
  // a signed figure (2019 本年增/减): `+9`
  {
    const text = replaceOnce(BASE_2019, '\n    change: 9 ', '\n    change: +9 ');
    const pos = at(text, 'change: +9');
    add({ name: 'form-signed-plus', description: '`+9` as 本年增/减 (2019 edition): an increase is written without a sign', content: text, exit: 1, diagnostics: [{ rule: 'CELL-FORM', line: pos.line, col: pos.col + 'change: '.length, message: '「+9」，数字前不写「+」：应为整数（减少写负数，如 -8）', hint: '写作 9' }], errors: 1 });
  }

  // ------------------------------------------------------------ money (万元, at most 6 decimals)
  const fees = (raw: string) => replaceOnce(BASE_2021, /\n    amount: 0 /, `\n    amount: ${raw} `);
  const moneyCase = (name: string, description: string, raw: string, message: string, hint?: string) => {
    const text = fees(raw);
    const pos = at(text, `amount: ${raw}`);
    add({ name, description, content: text, exit: 1, diagnostics: [{ rule: 'CELL-FORM', line: pos.line, col: pos.col + 'amount: '.length, message, ...(hint ? { hint } : {}) }], errors: 1 });
  };
  moneyCase('money-seven-places', '`0.0000001` 万元 (would print as 1e-7)', '0.0000001', `${FEES}写的是「0.0000001」，小数超过 6 位（单位万元，6 位小数已精确到分）`, '四舍五入到 6 位以内');
  moneyCase('money-too-many-digits', '`12.3456789012345678` 万元 (a float keeps 15 digits)', '12.3456789012345678', '「12.3456789012345678」，小数超过 6 位');
  moneyCase('money-exponent', '`1e-7` 万元', '1e-7', '「1e-7」，这是科学计数法（带 e）');
  moneyCase('money-sixteen-digits', '`1234567890123.123` 万元: 16 significant digits', '1234567890123.123', '「1234567890123.123」有效数字超过 15 位');
  {
    const text = replaceOnce(BASE_2019, /\n    amount: 905 /, '\n    amount: 905. ');
    const pos = at(text, 'amount: 905.');
    add({ name: 'money-trailing-point', description: '`905.` 万元 (2019 采购总金额)', content: text, exit: 1, diagnostics: [{ rule: 'CELL-FORM', line: pos.line, col: pos.col + 'amount: '.length, message: '「905.」，小数点后没有数字', hint: '写作 905' }], errors: 1 });
  }
  add({ name: 'ok-money-trailing-zero', description: '`12.50` 万元: accepted, and published as written (12.50, not 12.5)', content: fees('12.50'), exit: 0, diagnostics: [], errors: 0 });
  add({ name: 'ok-money-six-places', description: '`0.000001` 万元 (1 分): accepted', content: fees('0.000001'), exit: 0, diagnostics: [], errors: 0 });

  // ------------------------------------------------------------ dates and years
  const dateCase = (name: string, date: string, message: string) => {
    const text = replaceOnce(BASE_2021, '\nyear: 2021\n', `\nyear: 2021\ndate: "${date}"\n`);
    add({ name, description: `落款日期 "${date}" is not on the calendar`, content: text, exit: 1, diagnostics: [{ rule: 'DATE-INVALID', line: at(text, 'date:').line, col: 7, message }], errors: 1 });
  };
  dateCase('date-feb-30', '2022-02-30', '「落款日期」「2022-02-30」不是日历上的日期：2022 年 2 月只有 28 天');
  dateCase('date-month-13', '2022-13-45', '「2022-13-45」不是日历上的日期：没有 13 月，月份应为 01–12');
  dateCase('date-feb-29-common-year', '2022-02-29', '2022 年 2 月只有 28 天');
  {
    const text = replaceOnce(BASE_2021, '\nyear: 2021\n', '\nyear: 2021\ndate: "2024-02-29"\n');
    add({ name: 'ok-date-leap-day', description: '2024-02-29 is a date (leap year): accepted, with the usual warning that it is not in the following year', content: text, exit: 0, diagnostics: [{ rule: 'META-DATE', severity: 'warning', line: at(text, 'date:').line, col: 7, message: '落款日期 2024-02-29 不在报告年度的次年' }], errors: 0 });
  }
  {
    const text = replaceOnce(BASE_2021, '\nyear: 2021\n', '\nyear: 20224\n');
    add({ name: 'year-five-digits', description: '`year: 20224` (a typo): a check error, not a crash of the docx writer', content: text, exit: 1, diagnostics: [{ rule: 'YEAR-RANGE', line: at(text, 'year:').line, col: 7, message: '报告年度写的是 20224，超出 nianbao 支持的范围（2019–2098 年）' }], errors: 1 });
  }

  // ------------------------------------------------------------ characters
  const NAME = '\n  name: "渠沟镇人民政府"';
  const inName = (ch: string) => replaceOnce(BASE_2021, NAME, `\n  name: "渠沟镇${ch}人民政府"`);
  const charCase = (name: string, description: string, ch: string, rule: string, message: string) => {
    const text = inName(ch);
    add({ name, description, content: text, exit: 1, diagnostics: [{ rule, ...at(text, ch), message }], errors: 1 });
  };
  charCase('char-zero-width-space', 'U+200B inside the agency name', '\u200B', 'TEXT-INVISIBLE', '「机关名称」中有字符 U+200B（零宽空格）：这是看不见的字符');
  charCase('char-zero-width-joiner', 'U+200D inside the agency name', '\u200D', 'TEXT-INVISIBLE', 'U+200D（零宽连接符）');
  charCase('char-word-joiner', 'U+2060 inside the agency name', '\u2060', 'TEXT-INVISIBLE', 'U+2060');
  charCase('char-bom-inside', 'U+FEFF inside the agency name (not at the start of the file)', '\uFEFF', 'TEXT-INVISIBLE', 'U+FEFF');
  charCase('char-bidi-override', 'U+202E (right-to-left override) inside the agency name', '\u202E', 'TEXT-BIDI', 'U+202E（从右到左强制）：这是改变文字显示方向的控制符');
  charCase('char-bidi-isolate', 'U+2066 (left-to-right isolate) inside the agency name', '\u2066', 'TEXT-BIDI', 'U+2066');
  charCase('char-emoji', 'an emoji in the agency name: no glyph in the bundled fonts', '😀', 'TEXT-GLYPH', '「机关名称」中的字符「😀」（U+1F600）在 PDF 字体「NotoSerifSC_700Bold.ttf（nianbao 自带）」中没有字形');
  charCase('char-cjk-ext-b', 'a CJK Extension B character (U+20000) in the agency name', '𠀀', 'TEXT-GLYPH', '（U+20000）在 PDF 字体');
  {
    // written as an escape: placed at the quoted value, the code point named
    const text = replaceOnce(BASE_2021, NAME, '\n  name: "渠沟镇\\ud800人民政府"');
    const pos = at(text, '"渠沟镇\\ud800');
    add({ name: 'char-lone-surrogate', description: 'a lone surrogate written as the escape \\ud800', content: text, exit: 1, diagnostics: [{ rule: 'TEXT-SURROGATE', ...pos, message: '「机关名称」中有字符 U+D800（以转义序列写出）' }], errors: 1 });
  }
  {
    const text = replaceOnce(BASE_2021, '\n  office: "党政办"', '\n  office: "党政办\\e[31m"');
    const pos = at(text, '"党政办\\e');
    add({ name: 'char-escape-sequence', description: 'an ESC (terminal colour sequence) written as \\e in a text', content: text, exit: 1, diagnostics: [{ rule: 'TEXT-CONTROL', ...pos, message: '「信息公开工作机构」中有字符 U+001B（以转义序列写出）：这是控制字符' }], errors: 1 });
  }
  {
    // an emoji in narrative: the body font is asked
    const text = replaceOnce(BASE_2021, '2021年度我镇未收到依申请公开政府信息。', '2021年度我镇未收到依申请公开政府信息👍。');
    add({ name: 'char-emoji-narrative', description: 'an emoji in a narrative paragraph', content: text, exit: 1, diagnostics: [{ rule: 'TEXT-GLYPH', ...at(text, '👍'), message: '「（二）依申请公开」中的字符「👍」（U+1F44D）在 PDF 字体「NotoSerifSC_400Regular.ttf（nianbao 自带）」中没有字形' }], errors: 1 });
  }

  {
    // UTF-16 with half a character: named, not turned into U+FFFD and published as such
    const text = inName('\uD800');
    const content = Buffer.from(`\uFEFF${text}`, 'utf16le');
    add({ name: 'char-utf16-lone-surrogate', description: 'a UTF-16 file (with BOM) holding a lone surrogate in the agency name', content, exit: 2, diagnostics: [{ rule: 'ENCODING', ...at(text, '\uD800'), message: '文件是 UTF-16 编码，但含有不完整的字符' }], errors: 1 });
  }

  // ------------------------------------------------------------ terminal safety of printed keys
  {
    // a key forging a second diagnostic line and a GitHub command; printed on one line, escaped
    const text = replaceOnce(BASE_2021, '\nyear: 2021\n', '\nyear: 2021\n"x\\n::error file=a.yaml::forged\\e[2J": 1\n');
    const pos = at(text, '"x\\n::error');
    add({
      name: 'key-forged-line',
      description: 'a key with a line break, `::error` and an ESC sequence: printed as <U+000A> and <U+001B>, never raw',
      content: text,
      exit: 1,
      diagnostics: [
        { rule: 'TEXT-CONTROL', ...pos, message: '键「x<U+000A>::error file=a.yaml::forged<U+001B>[2J」中有字符 U+001B' },
        { rule: 'UNKNOWN-KEY', ...pos, message: '顶层没有「x<U+000A>::error file=a.yaml::forged<U+001B>[2J」这一项' },
      ],
      errors: 2,
    });
  }

  // ------------------------------------------------------------ explicit tags
  {
    const text = licensing('!!float 3');
    add({ name: 'tag-float', description: '`!!float 3`: the core schema reads the text "3"', content: text, exit: 1, diagnostics: [{ rule: 'YAML-TAG', ...at(text, '!!float'), message: '「!!float」是 YAML 类型标记，会改变后面的值的类型' }], errors: 1 });
  }
  {
    const text = replaceOnce(BASE_2021, '\n  office: "党政办"', '\n  office: !!binary 5YWa5pS/5Yqe');
    add({ name: 'tag-binary', description: '`!!binary` (base64 bytes) as the office name', content: text, exit: 1, diagnostics: [{ rule: 'YAML-TAG', ...at(text, '!!binary'), message: '「!!binary」把后面的内容当作二进制数据（base64）' }], errors: 1 });
  }
}
