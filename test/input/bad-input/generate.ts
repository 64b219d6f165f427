/**
 * Writes the bad-input corpus: test/input/bad-input/cases/NN-name.yaml and, next to each, NN-name.expect.json
 * with the exact diagnostics `nianbao check` must print (rule, line, column, a precise part of the
 * message and, where the fix is this case's own, of the hint printed under it) and its exit code.
 * Every diagnostic printed must have a hint; `hint` pins the part of it a case is about (the value to
 * write, the key meant), since a message says what is wrong and its hint how to fix it. Run after changing a case: `npx tsx test/input/bad-input/generate.ts`.
 *
 * Every file starts from a committed example report, copied in here once (BASE_*), so the corpus does
 * not move when the examples do. Positions are computed from where this script puts the defect, never
 * read from nianbao's own output: the test compares two independent answers.
 *
 * Cases too big to commit (the 50 MB file) are built by the test itself (see bad-input.test.ts).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { narrativeCases } from './cases-narrative.js';
import { integrityCases } from './cases-integrity.js';

export interface ExpectedDiagnostic {
  rule: string;
  line: number;
  col: number;
  /** a precise part of the Chinese message (the official names, the value written) */
  message: string;
  /** a precise part of the hint (`  = 提示：…`) printed under the message: the fix for this very case */
  hint?: string;
  severity?: 'error' | 'warning';
}

export interface Expectation {
  description: string;
  exit: number;
  /** diagnostics that must all be printed, exactly where stated */
  diagnostics: ExpectedDiagnostic[];
  /** the exact number of errors printed (every error of the file is listed in `diagnostics`) */
  errors: number;
}

const here = import.meta.dirname;
const root = path.resolve(here, '..', '..', '..');
const casesDir = path.join(here, 'cases');

/** The 2021-edition base: seed 002 as transcribed in examples/ (all table cells 0). */
const BASE_2021 = readFileSync(path.join(root, 'examples/reports/2021-渠沟镇人民政府.yaml'), 'utf8');
/** The 2019-edition base: seed 000, corrected (table 二 has figures, table 三 zeros). */
const BASE_2019 = readFileSync(path.join(root, 'examples/reports/2020-红椿镇人民政府.yaml'), 'utf8');

export interface Case extends Expectation {
  name: string;
  content: string | Uint8Array;
}

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

// ---------------------------------------------------------------- text helpers

/** 1-based line and column of the `occurrence`-th appearance of `needle`. */
function at(text: string, needle: string, occurrence = 1): { line: number; col: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`not found: ${needle}`);
  }
  const before = text.slice(0, index);
  return { line: before.split('\n').length, col: index - before.lastIndexOf('\n') };
}

/** Replaces exactly one occurrence of `from`; fails if it is not there exactly once. */
function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, `${from.flags.replace('g', '')}g`)) ?? []).length;
  if (count !== 1) throw new Error(`expected exactly one ${String(from)}, found ${count}`);
  return text.replace(from, to);
}

/** The line of a flow row `key: [..]` (indented exactly as given). */
const rowPrefix = (indent: number, key: string) => `\n${' '.repeat(indent)}${key}: [`;

/**
 * Sets figures of a flow row: `values` replaces the whole list (as raw YAML text items). Returns the
 * new text and the position of each item.
 */
function setRow(text: string, indent: number, key: string, values: string[]): { text: string; item: (i: number) => { line: number; col: number }; row: { line: number; col: number } } {
  const prefix = rowPrefix(indent, key);
  const start = text.indexOf(prefix);
  if (start < 0 || text.indexOf(prefix, start + 1) >= 0) throw new Error(`row ${key} not found exactly once`);
  const open = start + prefix.length;
  const close = text.indexOf(']', open);
  const out = text.slice(0, open) + values.join(', ') + text.slice(close);
  const before = out.slice(0, open);
  const line = before.split('\n').length;
  const firstCol = open - before.lastIndexOf('\n');
  const item = (i: number) => ({ line, col: firstCol + values.slice(0, i).reduce((n, v) => n + v.length + 2, 0) });
  return { text: out, item, row: { line, col: firstCol - 1 } };
}

/** Sets a block-mapping figure `key: value` (indented exactly as given, unique). */
function setValue(text: string, indent: number, key: string, value: string): { text: string; pos: { line: number; col: number }; key: { line: number; col: number } } {
  const re = new RegExp(`\\n${' '.repeat(indent)}${key}: [^ #\\n]*`);
  const out = replaceOnce(text, re, `\n${' '.repeat(indent)}${key}: ${value}`);
  const k = at(out, `\n${' '.repeat(indent)}${key}: ${value}`);
  return { text: out, pos: { line: k.line + 1, col: indent + key.length + 3 }, key: { line: k.line + 1, col: indent + 1 } };
}

/** Line and column of a top-level or nested key (`key:` at the start of a line after `indent` spaces). */
function keyAt(text: string, indent: number, key: string, occurrence = 1): { line: number; col: number } {
  const p = at(text, `\n${' '.repeat(indent)}${key}:`, occurrence);
  return { line: p.line + 1, col: indent + 1 };
}

const zeros7 = () => ['0', '0', '0', '0', '0', '0', '0'];
const T3 = '表三「三、本年度办理结果·（一）予以公开」行';

// ---------------------------------------------------------------- positive cases (must be accepted)

add({ name: 'ok-bom', description: 'UTF-8 with a byte-order mark (Windows Notepad): accepted', content: `\uFEFF${BASE_2021}`, exit: 0, diagnostics: [], errors: 0 });
add({ name: 'ok-crlf', description: 'Windows line endings (CRLF): accepted', content: BASE_2021.replace(/\n/g, '\r\n'), exit: 0, diagnostics: [], errors: 0 });
add({ name: 'ok-bom-crlf', description: 'BOM and CRLF together: accepted', content: `\uFEFF${BASE_2019.replace(/\n/g, '\r\n')}`, exit: 0, diagnostics: [], errors: 0 });
{
  const le = Buffer.from(`\uFEFF${BASE_2021}`, 'utf16le');
  add({ name: 'ok-utf16le-bom', description: 'UTF-16 LE with BOM (Windows "Unicode"): accepted', content: le, exit: 0, diagnostics: [], errors: 0 });
  const be = Buffer.from(le);
  be.swap16();
  add({ name: 'ok-utf16be-bom', description: 'UTF-16 BE with BOM: accepted', content: be, exit: 0, diagnostics: [], errors: 0 });
}

// ---------------------------------------------------------------- encodings

{
  // GBK bytes of the first lines of a report: "format" line ASCII, then the agency name in GBK.
  // 渠沟镇人民政府 in GBK, hand-encoded from the GB 2312 table (no codec library needed to write it).
  const gbkName = Buffer.from([0xc7, 0xfe, 0xb9, 0xb5, 0xd5, 0xf2, 0xc8, 0xcb, 0xc3, 0xf1, 0xd5, 0xfe, 0xb8, 0xae]);
  const content = Buffer.concat([Buffer.from('format: "2021"\nyear: 2021\nagency:\n  name: "'), gbkName, Buffer.from('"\n')]);
  add({
    name: 'encoding-gbk',
    description: 'a report saved as GBK (Chinese Windows default): named as such, with the fix',
    content,
    exit: 2,
    diagnostics: [{ rule: 'ENCODING', line: 4, col: 10, message: '疑似 GBK' }],
    errors: 1,
  });
}
{
  const content = Buffer.from(BASE_2021.slice(0, 200), 'utf16le');
  add({ name: 'encoding-utf16-no-bom', description: 'UTF-16 without a BOM: named, not read as garbage', content, exit: 2, diagnostics: [{ rule: 'ENCODING', line: 1, col: 1, message: 'UTF-16' }], errors: 1 });
}
{
  const content = Buffer.concat([Buffer.from('format: "2021"\nyear: 2021\nagency:\n  name: "'), Buffer.from([0xe6, 0xb8]), Buffer.from('"\n')]);
  add({ name: 'encoding-truncated-utf8', description: 'a UTF-8 sequence cut short (not GBK either)', content, exit: 2, diagnostics: [{ rule: 'ENCODING', line: 4, col: 10, message: '不是 UTF-8 编码' }], errors: 1 });
}
{
  const content = Buffer.concat([Buffer.from('format: "2021"\nyear: 2021\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])]);
  add({ name: 'encoding-binary', description: 'a binary file (PNG bytes) after two good lines', content, exit: 2, diagnostics: [{ rule: 'ENCODING', line: 3, col: 1, message: '不是 UTF-8 编码' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, 'year: 2021\n', 'year: 2021\n\u0000\n');
  add({ name: 'encoding-nul', description: 'a NUL character inside an otherwise good file', content: text, exit: 2, diagnostics: [{ rule: 'ENCODING', ...at(text, '\u0000'), message: 'NUL 字符' }], errors: 1 });
}

// ---------------------------------------------------------------- not a report at all

add({ name: 'empty', description: 'an empty file (0 bytes)', content: '', exit: 2, diagnostics: [{ rule: 'NOT-A-REPORT', line: 1, col: 1, message: '文件是空的' }], errors: 1 });
add({ name: 'only-comments', description: 'only comments and blank lines', content: '# 年度报告\n\n# 待填写\n', exit: 2, diagnostics: [{ rule: 'NOT-A-REPORT', line: 1, col: 1, message: '文件是空的（或只有注释）' }], errors: 1 });
add({ name: 'top-level-list', description: 'the file is a YAML list', content: '- format: "2021"\n- year: 2021\n', exit: 2, diagnostics: [{ rule: 'NOT-A-REPORT', line: 1, col: 1, message: '文件顶层是一个列表' }], errors: 1 });
add({ name: 'top-level-scalar', description: 'the file is one plain sentence', content: '渠沟镇2021年政府信息公开工作年度报告\n', exit: 2, diagnostics: [{ rule: 'NOT-A-REPORT', line: 1, col: 1, message: '文件内容只是一个值「渠沟镇2021年政府信息公开工作年度报告」' }], errors: 1 });
add({ name: 'top-level-number', description: 'the file is a number', content: '2021\n', exit: 2, diagnostics: [{ rule: 'NOT-A-REPORT', line: 1, col: 1, message: '文件内容只是一个值「2021」' }], errors: 1 });

// ---------------------------------------------------------------- YAML syntax

{
  const { text, row } = setRow(BASE_2021, 2, 'received', zeros7());
  const broken = text.replace(`${rowPrefix(2, 'received')}0, 0, 0, 0, 0, 0, 0]`, `${rowPrefix(2, 'received')}0, 0, 0, 0, 0, 0, 0`);
  add({ name: 'syntax-unclosed-bracket', description: 'a table row without its closing ]', content: broken, exit: 2, diagnostics: [{ rule: 'YAML-SYNTAX', line: row.line, col: row.col, message: 'YAML 语法错误' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '  office: "党政办"', '  office: "党政办');
  // reported where the closing quote is missing: the end of that line
  const open = at(text, '"党政办');
  add({ name: 'syntax-unclosed-quote', description: 'a quoted text without its closing quote', content: text, exit: 2, diagnostics: [{ rule: 'YAML-SYNTAX', line: open.line, col: open.col + '"党政办'.length, message: '缺少配对的引号' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, 'year: 2021', 'year:2021');
  add({ name: 'syntax-no-space-after-colon', description: '`year:2021` (no space after the colon)', content: text, exit: 2, diagnostics: [{ rule: 'YAML-SYNTAX', ...at(text, 'year:2021'), message: '冒号后' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '  office: "党政办"', '   office: "党政办"');
  add({ name: 'syntax-bad-indent', description: 'one key indented by three spaces instead of two', content: text, exit: 2, diagnostics: [{ rule: 'YAML-SYNTAX', line: at(text, 'office: "党政办"').line, col: 1, message: '缩进不一致' }], errors: 1 });
}
{
  const text = `${BASE_2021}\n---\nformat: "2021"\n`;
  add({ name: 'syntax-two-documents', description: 'two YAML documents in one file', content: text, exit: 2, diagnostics: [{ rule: 'YAML-SYNTAX', ...at(text, '---'), message: '多个 YAML 文档' }], errors: 1 });
}

// ---------------------------------------------------------------- tabs, full-width colon, duplicate keys

{
  const text = replaceOnce(BASE_2021, '\n  phone: ', '\n\tphone: ');
  add({ name: 'tab-indent', description: 'a Tab used for indentation', content: text, exit: 2, diagnostics: [{ rule: 'YAML-TAB', line: at(text, '\tphone').line, col: 1, message: '制表符（Tab）' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n    granted: [0', '\n\t\tgranted: [0');
  add({ name: 'tab-indent-table-row', description: 'Tabs indenting a table row', content: text, exit: 2, diagnostics: [{ rule: 'YAML-TAB', line: at(text, '\t\tgranted').line, col: 1, message: '用了制表符（Tab）缩进', hint: 'Tab）换成空格' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '  office: "党政办"', '  office："党政办"');
  add({ name: 'fullwidth-colon-agency', description: 'a full-width colon after a key (Chinese input method)', content: text, exit: 2, diagnostics: [{ rule: 'FULLWIDTH-COLON', ...at(text, '："党政办"'), message: '「office：」用了全角冒号' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\nyear: 2021', '\nyear：2021');
  add({ name: 'fullwidth-colon-top', description: 'a full-width colon after a top-level key', content: text, exit: 2, diagnostics: [{ rule: 'FULLWIDTH-COLON', ...at(text, '：2021'), message: '「year：」' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  received: [0', '\n  received：[0');
  add({ name: 'fullwidth-colon-row', description: 'a full-width colon after a table row key', content: text, exit: 2, diagnostics: [{ rule: 'FULLWIDTH-COLON', ...at(text, '：[0'), message: '「received：」用了全角冒号「：」', hint: '写作「received: 」' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\nyear: 2021\n', '\nyear: 2021\nyear: 2021\n');
  add({ name: 'duplicate-key-top', description: 'the same top-level key twice', content: text, exit: 1, diagnostics: [{ rule: 'YAML-DUP-KEY', ...at(text, 'year: 2021', 2), message: '键「year」在同一层级重复出现' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n    granted: [0, 0, 0, 0, 0, 0, 0]', '\n    granted: [0, 0, 0, 0, 0, 0, 0]\n    granted: [0, 0, 0, 0, 0, 0, 0]');
  add({ name: 'duplicate-key-row', description: 'a table row written twice', content: text, exit: 1, diagnostics: [{ rule: 'YAML-DUP-KEY', ...at(text, '    granted:', 2), col: 5, message: '键「granted」' }], errors: 1 });
}

// ---------------------------------------------------------------- unknown and misspelt keys

{
  const text = replaceOnce(BASE_2021, '\nyear: 2021\n', '\nyear: 2021\nremarks: 无\n');
  add({ name: 'unknown-key-top', description: 'a key the contract does not have', content: text, exit: 1, diagnostics: [{ rule: 'UNKNOWN-KEY', ...at(text, 'remarks'), message: '没有「remarks」这一项' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  office: "党政办"', '\n  offfice: "党政办"');
  add({ name: 'misspelt-agency-key', description: 'office misspelt: suggests the right key with its Chinese title', content: text, exit: 1, diagnostics: [{ rule: 'UNKNOWN-KEY', ...at(text, 'offfice'), message: '没有「offfice」这一项', hint: '您是否想写「office」（信息公开工作机构）？' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  received: [0', '\n  recieved: [0');
  const missingAt = at(text, '\napplications:');
  add({
    name: 'misspelt-row-key',
    description: 'received misspelt recieved: the unknown key and the missing row',
    content: text,
    exit: 1,
    diagnostics: [
      { rule: 'UNKNOWN-KEY', ...at(text, 'recieved'), message: '没有「recieved」这一项', hint: '您是否想写「received」' },
      { rule: 'MISSING', line: missingAt.line + 1, col: 1, message: '一、本年新收政府信息公开申请数量' },
    ],
    errors: 2,
  });
}
{
  const text = replaceOnce(BASE_2021, '\nnarrative:', '\nnarative:');
  add({ name: 'misspelt-narrative', description: 'narrative misspelt', content: text, exit: 1, diagnostics: [{ rule: 'UNKNOWN-KEY', ...at(text, 'narative'), message: '顶层没有「narative」这一项', hint: '您是否想写「narrative」' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n    denied:', '\n    refused:');
  add({ name: 'misspelt-denied', description: 'a sub-block under a wrong name (refused for denied)', content: text, exit: 1, diagnostics: [{ rule: 'UNKNOWN-KEY', ...at(text, 'refused'), message: '「refused」' }, { rule: 'MISSING', line: at(text, '\n  results:').line + 1, col: 3, message: '（三）不予公开' }], errors: 2 });
}
{
  const text = replaceOnce(BASE_2019, '\n    made: 0                             # 本年新制作数量\n    published: 0                        # 本年新公开数量\n    total_published: 0                  # 对外公开总数量\n  normative_documents', '\n    issued: 0\n    published: 0                        # 本年新公开数量\n    total_published: 0                  # 对外公开总数量\n  normative_documents');
  add({ name: 'edition-key-mix', description: 'a 2021-edition key (issued) in a 2019-edition report', content: text, exit: 1, diagnostics: [{ rule: 'FMT-KEY', ...at(text, 'issued'), message: '属于 2021 版格式' }, { rule: 'MISSING', ...keyAt(text, 2, 'rules'), message: '本年新制作数量' }], errors: 2 });
}

// ---------------------------------------------------------------- every kind of wrong cell

/** One wrong cell in the （一）予以公开 row of table 三 (every other figure 0, so no sum breaks). */
function cellCase(name: string, description: string, raw: string, index: number, rule: string, message: string, hint?: string) {
  const values = zeros7();
  values[index] = raw;
  const { text, item } = setRow(BASE_2021, 4, 'granted', values);
  add({ name, description, content: text, exit: 1, diagnostics: [{ rule, ...item(index), message, ...(hint ? { hint } : {}) }], errors: 1 });
}
cellCase('cell-text', 'a word in a figure cell', '若干', 0, 'CELL-TYPE', `${T3}「自然人」列应为非负整数，实际写的是「若干」`);
cellCase('cell-unit-wan', '`905万` in a count cell', '905万', 1, 'UNIT-NAME', `${T3}「法人或其他组织·商业企业」列「905万」写了单位`, '写作 905');
cellCase('cell-quoted-unit-wan', '`"905万"` (quoted) in a count cell', '"905万"', 1, 'UNIT-NAME', '「905万」写了单位', '写作 905');
cellCase('cell-unit-jian', '`3件` (a count with its unit)', '3件', 0, 'UNIT-NAME', '「3件」写了单位，单元格只写数字', '写作 3');
cellCase('cell-zeng', '`增53` in table 三', '增53', 2, 'UNIT-NAME', '写的是「增53」，单元格只写数字', '写作 53：增加写正数');
cellCase('cell-slash', '`/` for nothing', '/', 3, 'CELL-PLACEHOLDER', '「法人或其他组织·社会公益组织」列写的是「/」，不是数字', '没有发生的填 0');
cellCase('cell-dash', '`-` for nothing (a YAML list marker in disguise)', '-', 4, 'CELL-PLACEHOLDER', '写的是「-」，不是数字');
cellCase('cell-quoted-blank', '`""` (an empty text) in a cell', '""', 5, 'CELL-BLANK', '「法人或其他组织·其他」列为空白文字「」');
cellCase('cell-null', '`~` (YAML null) in a cell', '~', 0, 'CELL-BLANK', '列为空：空白不等于 0', '没有发生的填 0');
cellCase('cell-1e309', '1e309 (beyond the largest double)', '1e309', 0, 'CELL-TYPE', '「1e309」');
cellCase('cell-fullwidth-digits', 'full-width digits `１２`', '１２', 0, 'CELL-TYPE', '「１２」含有空格或全角字符', '写作 12');
cellCase('cell-ideographic-space', 'a figure with a leading ideographic space', '"　0"', 0, 'CELL-TYPE', '「　0」含有空格或全角字符', '写作 0');
cellCase('cell-quoted-number', 'a figure in quotes `"3"`', '"3"', 0, 'CELL-TYPE', '写成了带引号的文字 "3"', '去掉引号，写作 3');
cellCase('cell-nan', '`.nan`', '.nan', 0, 'CELL-TYPE', '应为非负整数');
cellCase('cell-list', 'a list where a figure belongs', '[1, 2]', 0, 'CELL-TYPE', '不能是列表或键值对');

/** A number that is not a valid count in 自然人 of （一）: the cell error, and the two sums it breaks. */
function badNumberCase(name: string, description: string, raw: string, message: string) {
  const granted = setRow(BASE_2021, 4, 'granted', [raw, '0', '0', '0', '0', '0', '0']);
  const total = setRow(granted.text, 4, 'total', zeros7());
  add({
    name,
    description,
    content: total.text,
    exit: 1,
    diagnostics: [
      { rule: 'CELL-TYPE', ...granted.item(0), message },
      { rule: 'T3-ROW', ...granted.item(6), message: '「总计」列为 0，但自然人至其他六列之和为' },
      { rule: 'T3-SUM', ...total.item(0), message: '「自然人」列为 0，但（一）至（六）各项之和为' },
    ],
    errors: 3,
  });
}
badNumberCase('cell-fraction', '1.5 applications', '1.5', `${T3}「自然人」列为 1.5，应为非负整数`);
// 30 digits cannot be held exactly (beyond 2^53): the figure must be refused, quoting what was written
badNumberCase('cell-30-digits', 'a 30-digit number', '123456789012345678901234567890', '123456789012345678901234567890');

{
  // −3 in 自然人 of （一）予以公开, total left 0: the row's 总计 and the （七）总计 column no longer add up either
  const granted = setRow(BASE_2021, 4, 'granted', ['-3', '0', '0', '0', '0', '0', '0']);
  const total = setRow(granted.text, 4, 'total', zeros7());
  add({
    name: 'cell-negative',
    description: 'a negative count (and the sums it breaks)',
    content: total.text,
    exit: 1,
    diagnostics: [
      { rule: 'CELL-NEGATIVE', ...granted.item(0), message: `${T3}「自然人」列为 -3，不能为负数` },
      { rule: 'T3-ROW', ...granted.item(6), message: '为 0，但自然人至其他六列之和为 -3' },
      { rule: 'T3-SUM', ...total.item(0), message: '「自然人」列为 0，但（一）至（六）各项之和为 -3' },
    ],
    errors: 3,
  });
}

{
  const { text, pos } = setValue(BASE_2019, 4, 'amount', '905万');
  add({ name: 'money-wan', description: 'seed 000: `905万` in 采购总金额 (万元 given by the header)', content: text, exit: 1, diagnostics: [{ rule: 'UNIT-NAME', ...pos, message: '「905万」写了单位，单位万元已由表头规定', hint: '写作 905' }], errors: 1 });
}
{
  const { text, pos } = setValue(BASE_2019, 4, 'amount', '251000元');
  add({ name: 'money-yuan', description: '`251000元` in 采购总金额: converted to 万元 in the hint', content: text, exit: 1, diagnostics: [{ rule: 'UNIT-NAME', ...pos, message: '「251000元」以元为单位，表头规定单位为万元', hint: '换算为万元，写作 25.1' }], errors: 1 });
}
{
  const base = replaceOnce(BASE_2019, '\n  penalty:                              # 第二十条第（六）项 行政处罚\n    previous_items: 9                   # 上一年项目数量\n    change: 9  ', '\n  penalty:                              # 第二十条第（六）项 行政处罚\n    previous_items: 9                   # 上一年项目数量\n    change: 增9');
  const pos = at(base, '增9');
  add({ name: 'change-zeng', description: 'seed 001: `增9` in 本年增/减', content: base, exit: 1, diagnostics: [{ rule: 'UNIT-NAME', ...pos, message: '写的是「增9」，单元格只写数字', hint: '写作 9：增加写正数，减少写负数' }], errors: 1 });
}
{
  const base = replaceOnce(BASE_2019, '\n    previous_items: 9                   # 上一年项目数量\n    change: 9  ', '\n    previous_items: 9                   # 上一年项目数量\n    change: 减3');
  add({ name: 'change-jian', description: '`减3` in 本年增/减: the hint says -3', content: base, exit: 1, diagnostics: [{ rule: 'UNIT-NAME', ...at(base, '减3'), message: '写的是「减3」', hint: '写作 -3' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  licensing:                            # 第二十条第（五）项 行政许可\n    decisions: 0', '\n  licensing:                            # 第二十条第（五）项 行政许可\n    decisions:');
  const p = at(text, '    decisions:  ');
  add({ name: 'cell-blank-value', description: 'seed 003: a figure left blank (`decisions:` with nothing after it)', content: text, exit: 1, diagnostics: [{ rule: 'CELL-BLANK', line: p.line, col: 5, message: '行政许可' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  rules:                                # 第二十条第（一）项 规章\n    issued: 0', '\n  rules:                                # 第二十条第（一）项 规章\n    issued: -');
  const p = at(text, 'issued: -');
  add({ name: 'cell-dash-value', description: '`issued: -` (a lone dash in a block mapping)', content: text, exit: 1, diagnostics: [{ rule: 'CELL-PLACEHOLDER', line: p.line, col: p.col + 'issued: '.length, message: '「-」' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  phone: "0561-3238810"', '\n  postcode: 035000\n  phone: "0561-3238810"');
  add({ name: 'postcode-unquoted', description: 'a postcode without quotes (the leading 0 would be lost)', content: text, exit: 1, diagnostics: [{ rule: 'CELL-TYPE', ...at(text, '035000'), message: '应为文字，写的是数字 35000', hint: '加引号，写作 "35000"' }], errors: 1 });
}

// ---------------------------------------------------------------- rows with the wrong number of values

{
  const { text, row } = setRow(BASE_2021, 4, 'granted', ['0', '0', '0', '0', '0']);
  add({ name: 'row-5-values', description: 'seed 004: a table 三 row with 5 values instead of 7', content: text, exit: 1, diagnostics: [{ rule: 'ROW-LENGTH', line: row.line, col: 5, message: '应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实际写了 5 个' }], errors: 1 });
}
{
  const { text, row } = setRow(BASE_2021, 2, 'received', ['0', '0', '0', '0', '0', '0', '0', '0']);
  add({ name: 'row-8-values', description: 'a table 三 row with 8 values', content: text, exit: 1, diagnostics: [{ rule: 'ROW-LENGTH', line: row.line, col: 3, message: '实际写了 8 个' }], errors: 1 });
}
{
  const { text, row } = setRow(BASE_2021, 2, 'review', ['0', '0', '0', '0', '0', '0', '0']);
  add({ name: 'row-table4-7-values', description: 'a table 四 row with 7 values instead of 5', content: text, exit: 1, diagnostics: [{ rule: 'ROW-LENGTH', line: row.line, col: 3, message: '应有 5 个数（结果维持、结果纠正、其他结果、尚未审结、总计），实际写了 7 个' }], errors: 1 });
}
{
  const { text, row } = setRow(BASE_2021, 2, 'received', ['1,000', '0', '0', '0', '0', '0', '1,000']);
  // one finding: which of the nine items is the 总计 cannot be told, so T3-ROW does not add a sum of shifted columns
  add({
    name: 'row-thousands-separator',
    description: '`1,000` in a row: the comma splits it, so the row has 9 values',
    content: text,
    exit: 1,
    diagnostics: [{ rule: 'ROW-LENGTH', line: row.line, col: 3, message: '实际写了 9 个' }],
    errors: 1,
  });
}

// ---------------------------------------------------------------- missing parts

{
  const text = BASE_2021.slice(0, BASE_2021.indexOf('# 每行 5 个数'));
  add({ name: 'missing-table4', description: 'table 四 (review_litigation) left out', content: text, exit: 1, diagnostics: [{ rule: 'MISSING', ...keyAt(text, 0, 'format'), message: '缺少「四、政府信息公开行政复议、行政诉讼情况」（review_litigation）' }], errors: 1 });
}
{
  const start = BASE_2021.indexOf('    unable:');
  const end = BASE_2021.indexOf('    not_processed:');
  const text = BASE_2021.slice(0, start) + BASE_2021.slice(end);
  add({ name: 'missing-block-unable', description: 'the （四）无法提供 rows left out', content: text, exit: 1, diagnostics: [{ rule: 'MISSING', line: at(text, '\n  results:').line + 1, col: 3, message: '（四）无法提供' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  name: "渠沟镇人民政府"', '');
  add({ name: 'missing-agency-name', description: 'agency without its name', content: text, exit: 1, diagnostics: [{ rule: 'MISSING', line: at(text, '\nagency:').line + 1, col: 1, message: '缺少' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\nyear: 2021', '');
  add({ name: 'missing-year', description: 'no year', content: text, exit: 1, diagnostics: [{ rule: 'MISSING', ...keyAt(text, 0, 'format'), message: '缺少「报告年度」（year）' }], errors: 1 });
}

// ---------------------------------------------------------------- edition and year

{
  const text = replaceOnce(BASE_2021, '\nyear: 2021', '\nyear: 2020');
  add({ name: 'edition-2021-for-2020', description: 'a 2020 report in the 2021 edition', content: text, exit: 1, diagnostics: [{ rule: 'FMT-YEAR', ...at(text, '"2021"'), message: '2020 年度报告应使用 2019 版格式（国办公开办函〔2019〕60号）' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2019, '\nyear: 2020', '\nyear: 2022');
  add({ name: 'edition-2019-for-2022', description: 'a 2022 report in the 2019 edition', content: text, exit: 1, diagnostics: [{ rule: 'FMT-YEAR', ...at(text, '"2019"'), message: '2022 年度报告应使用 2021 版格式（国办公开办函〔2021〕30号）' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2019, '\nyear: 2020', '\nyear: 2018');
  add({ name: 'year-before-2019', description: 'a year before the 2019 format existed', content: text, exit: 1, diagnostics: [{ rule: 'FMT-YEAR', ...at(text, '"2019"'), message: '早于 2019 年' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, 'format: "2021"', 'format: "2022"');
  add({ name: 'format-unknown', description: 'an edition that does not exist', content: text, exit: 1, diagnostics: [{ rule: 'FMT-VERSION', ...at(text, '"2022"'), message: 'format 写的是「2022」，应为 "2019" 或 "2021"' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, 'format: "2021"', 'format: 2021');
  add({ name: 'format-unquoted', description: 'format written as a number', content: text, exit: 1, diagnostics: [{ rule: 'FMT-VERSION', line: keyAt(text, 0, 'format').line, col: 9, message: '数字 2021（未加引号）' }], errors: 1 });
}

// ---------------------------------------------------------------- 勾稽关系

{
  let text = setRow(BASE_2021, 4, 'granted', ['2', '0', '0', '0', '0', '0', '3']).text;
  text = setRow(text, 2, 'received', ['2', '0', '0', '0', '0', '0', '2']).text;
  const total = setRow(text, 4, 'total', ['2', '0', '0', '0', '0', '0', '2']);
  text = total.text;
  const granted = setRow(text, 4, 'granted', ['2', '0', '0', '0', '0', '0', '3']);
  add({
    name: 'rule-t3-row',
    description: 'a row whose 总计 is not the sum of its applicant columns (and so breaks the 总计 column too)',
    content: text,
    exit: 1,
    diagnostics: [
      { rule: 'T3-ROW', ...granted.item(6), message: '「总计」列为 3' },
      { rule: 'T3-SUM', ...total.item(6), message: '「总计」列为 2，但（一）至（六）各项之和为 3' },
    ],
    errors: 2,
  });
}
{
  let text = setRow(BASE_2021, 2, 'received', ['1', '0', '0', '0', '0', '0', '1']).text;
  const total = setRow(text, 4, 'total', ['1', '0', '0', '0', '0', '0', '1']);
  text = total.text;
  add({
    name: 'rule-t3-sum',
    description: '（七）总计 not the sum of （一）–（六）',
    content: text,
    exit: 1,
    diagnostics: [
      { rule: 'T3-SUM', ...total.item(0), message: '表三「三、本年度办理结果·（七）总计」行「自然人」列为 1，但（一）至（六）各项之和为 0' },
      { rule: 'T3-SUM', ...total.item(6), message: '「总计」列为 1，但（一）至（六）各项之和为 0' },
    ],
    errors: 2,
  });
}
{
  const text = setRow(BASE_2021, 2, 'received', ['1', '0', '0', '0', '0', '0', '1']).text;
  // the rule is reported on the right-hand side's last row, 四、结转下年度继续办理
  const row = setRow(text, 2, 'carried_forward', zeros7());
  add({
    name: 'rule-t3-balance',
    description: '一 + 二 ≠ 三（七）+ 四 (the note printed in table 三)',
    content: text,
    exit: 1,
    diagnostics: [
      { rule: 'T3-EXP', ...row.item(0), message: '「自然人」列' },
      { rule: 'T3-EXP', ...row.item(6), message: '「总计」列' },
    ],
    errors: 2,
  });
}
{
  const row = setRow(BASE_2021, 2, 'review', ['1', '0', '0', '0', '0']);
  add({ name: 'rule-t4-sum', description: '行政复议 总计 not the sum of its four results', content: row.text, exit: 1, diagnostics: [{ rule: 'T4-SUM', ...row.item(4), message: '行政复议' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2019, '\n    previous_items: 3                   # 上一年项目数量\n    change: 0  ', '\n    previous_items: 3                   # 上一年项目数量\n    change: -5 ');
  add({ name: 'rule-items-below-zero', description: '2019 edition: 上一年项目数量 + 本年增/减 below zero', content: text, exit: 1, diagnostics: [{ rule: 'T2-19-DELTA', ...at(text, '-5'), message: '行政强制' }], errors: 1 });
}

// ---------------------------------------------------------------- hostile input

{
  // billion laughs: 9 levels of 9 aliases would expand to 9^9 strings
  const levels = ['a: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
  }
  const text = `format: "2021"\nyear: 2021\nbomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
  add({ name: 'alias-bomb', description: 'a YAML alias bomb (billion laughs): refused without expanding', content: text, exit: 2, diagnostics: [{ rule: 'YAML-ALIAS', line: 1, col: 1, message: '别名' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  office: "党政办"', '\n  office: *nowhere');
  add({ name: 'alias-unresolved', description: 'an alias to an anchor that does not exist', content: text, exit: 2, diagnostics: [{ rule: 'YAML-SYNTAX', ...at(text, '*nowhere'), message: 'nowhere' }], errors: 1 });
}
for (const depth of [500, 5000]) {
  // 五、存在的主要问题 replaced by nested lists: a wrong type at 500 levels, and at 5000 levels still
  // a clear answer (the YAML parser itself recurses: nianbao must not overflow the stack)
  const start = BASE_2021.indexOf('  problems: |-');
  const end = BASE_2021.indexOf('  other: |-');
  const text = `${BASE_2021.slice(0, start)}  problems: ${'['.repeat(depth)}${']'.repeat(depth)}\n${BASE_2021.slice(end)}`;
  const key = keyAt(text, 2, 'problems');
  add({
    name: `deep-nesting-${depth}`,
    description: `${depth} nested lists where a text belongs`,
    content: text,
    exit: depth === 500 ? 1 : 2,
    diagnostics: [depth === 500 ? { rule: 'CELL-TYPE', ...key, message: '「五、存在的主要问题及改进情况」应为文字' } : { rule: 'YAML-SYNTAX', line: key.line, col: 13, message: '嵌套' }],
    errors: 1,
  });
}
{
  const text = replaceOnce(BASE_2021, '\nyear: 2021\n', '\nyear: 2021\n__proto__:\n  polluted: true\n');
  add({ name: 'key-proto-top', description: '`__proto__` as a top-level key: an unknown key, nothing polluted', content: text, exit: 1, diagnostics: [{ rule: 'UNKNOWN-KEY', ...at(text, '__proto__'), message: '没有「__proto__」这一项' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n    granted: [0, 0, 0, 0, 0, 0, 0]', '\n    granted: [0, 0, 0, 0, 0, 0, 0]\n    constructor: {prototype: {polluted: true}}');
  add({ name: 'key-constructor-results', description: '`constructor` inside the results block', content: text, exit: 1, diagnostics: [{ rule: 'UNKNOWN-KEY', ...at(text, 'constructor'), message: '没有「constructor」这一项' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  office: "党政办"', '\n  office: "党政办"\n  __proto__: {toString: 1}');
  add({ name: 'key-proto-agency', description: '`__proto__` inside agency', content: text, exit: 1, diagnostics: [{ rule: 'UNKNOWN-KEY', ...at(text, '__proto__'), message: '「__proto__」' }], errors: 1 });
}
{
  const text = replaceOnce(BASE_2021, '\n  received: [0, 0, 0, 0, 0, 0, 0]', '\n  received: {"__proto__": [0, 0, 0, 0, 0, 0, 0]}');
  add({ name: 'key-proto-as-row', description: 'a row replaced by a mapping whose only key is `__proto__`', content: text, exit: 1, diagnostics: [{ rule: 'CELL-TYPE', ...keyAt(text, 2, 'received'), message: '「一、本年新收政府信息公开申请数量」应为 7 个数的列表' }], errors: 1 });
}

for (const c of narrativeCases({ base2021: BASE_2021, at, replaceOnce })) add(c);
// ---------------------------------------------------------------- further case files

integrityCases({ add, at, replaceOnce, setRow, BASE_2021, BASE_2019 });

// ---------------------------------------------------------------- write

export function writeCorpus(): number {
  rmSync(casesDir, { recursive: true, force: true });
  mkdirSync(casesDir, { recursive: true });
  cases.forEach((c, i) => {
    const stem = `${String(i + 1).padStart(2, '0')}-${c.name}`;
    writeFileSync(path.join(casesDir, `${stem}.yaml`), c.content);
    const { description, exit, diagnostics, errors } = c;
    writeFileSync(path.join(casesDir, `${stem}.expect.json`), `${JSON.stringify({ description, exit, diagnostics, errors }, null, 2)}\n`);
  });
  return cases.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const n = writeCorpus();
  process.stdout.write(`${n} cases written to ${path.relative(root, casesDir)} (${readdirSync(casesDir).length} files)\n`);
}
