/**
 * ajv errors → Chinese diagnostics that name the official row and column (from the grids via
 * names.ts), show both sides of a broken sum, and say what to write instead of a bad cell.
 */
import type { ErrorObject } from 'ajv';
import { edition as editionInfo, EDITION_IDS, editionForYear, findDataCell, type EditionId } from '../format/official.js';
import { readRulesFile } from './rules.js';
import { cellName, columnName } from './names.js';
import { allowedKeys, schemaAt } from './schemas.js';
import type { DataPath, Severity } from './types.js';
import type { RuleErrorParams } from './keywords.js';
import { DASH_STANDIN } from '../load/yaml.js';

export interface Finding {
  readonly path: DataPath;
  /** point at the key (unknown keys) instead of the value */
  readonly atKey?: boolean;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
  /** how to fix this very finding, when the rule's own hint (format/) says less */
  readonly hint?: string;
}

/** "/applications/received/0" → ['applications', 'received', 0], numbers where the data has arrays. */
export function toDataPath(instancePath: string, data: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let node = data;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    out.push(step);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
  }
  return out;
}

const dotted = (path: DataPath) => path.join('.');

/** The official name of whatever sits at a path: a table cell, a row, a group or a field. */
export function describePath(edition: EditionId, path: DataPath): string {
  if (findDataCell(edition, dotted(path))) return cellName(edition, dotted(path));
  const title = schemaAt(edition, path)?.title;
  if (typeof title === 'string' && title) return `「${title}」`;
  return `「${dotted(path)}」`;
}

export type CellKind = 'count' | 'signed' | 'money';

export function cellKind(path: DataPath): CellKind {
  const text = dotted(path);
  const { cell_types } = readRulesFile();
  const matches = (p: string) => {
    const a = p.split('.');
    const b = text.split('.');
    return a.length === b.length && a.every((s, i) => s === '*' || s === b[i]);
  };
  if (cell_types.signed.some(matches)) return 'signed';
  if (cell_types.money.some(matches)) return 'money';
  return 'count';
}

export const KIND_TEXT: Record<CellKind, string> = { count: '非负整数', signed: '整数（减少写负数，如 -8）', money: '以万元为单位的数（可有小数）' };

/** What a clerk wrote in a number cell, and what to write instead. */
function badCell(edition: EditionId, path: DataPath, value: unknown, written: string | undefined): Finding {
  const name = describePath(edition, path);
  const kind = cellKind(path);
  const finding = (rule: string, message: string, hint?: string): Finding => ({ path, severity: 'error', rule, message, ...(hint ? { hint } : {}) });
  if (value === null || value === undefined) return finding('CELL-BLANK', `${name}为空：空白不等于 0`);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // 1e309 or .inf reads as Infinity: quote what was written, not what JavaScript made of it
    return finding('CELL-TYPE', `${name}写的是「${written ?? String(value)}」，数值过大（超出可计算的范围），应为${KIND_TEXT[kind]}`, '核对这一格，写出实际的数');
  }
  if (typeof value === 'number') {
    const shown = written !== undefined && written !== String(value) ? `写的是「${written}」` : `为 ${value}`;
    return finding('CELL-TYPE', `${name}${shown}，应为${KIND_TEXT[kind]}`);
  }
  if (typeof value === 'boolean') return finding('CELL-TYPE', `${name}写的是 ${value}，应为一个数（${KIND_TEXT[kind]}）`);
  if (typeof value !== 'string') return finding('CELL-TYPE', `${name}应为一个数（${KIND_TEXT[kind]}），不能是列表或键值对`);
  const raw = value.split(DASH_STANDIN).join('-');
  const text = raw.normalize('NFKC').trim();
  if (text === '') return finding('CELL-BLANK', `${name}为空白文字「${raw}」：空白不等于 0`);
  if (/^[/\\\-—–―_~]+$|^(无|空|暂无|没有)$/.test(text)) {
    const dash = raw === '-' ? '（YAML 会把单独的 - 当作列表符号）' : '';
    return finding('CELL-PLACEHOLDER', `${name}写的是「${raw}」，不是数字${dash}`);
  }
  const delta = /^(增加|新增|增|减少|减|\+)\s*(\d+(?:\.\d+)?)\s*(个|项|件|条)?$/.exec(text);
  if (delta) {
    const n = delta[1].startsWith('减') ? `-${delta[2]}` : delta[2];
    return finding('UNIT-NAME', `${name}写的是「${raw}」，单元格只写数字`, `写作 ${n}：增加写正数，减少写负数（如 -8）`);
  }
  const unit = /^([+-]?\d+(?:\.\d+)?)\s*(万元|万|元|件|条|个|项|次|份)$/.exec(text);
  if (unit) {
    const [, n, u] = unit;
    if (kind === 'money' && (u === '万' || u === '万元')) return finding('UNIT-NAME', `${name}「${raw}」写了单位，单位万元已由表头规定`, `写作 ${n}`);
    if (kind === 'money' && u === '元') {
      const wan = Math.round((Number(n) / 10000) * 1e6) / 1e6;
      return finding('UNIT-NAME', `${name}「${raw}」以元为单位，表头规定单位为万元`, `换算为万元，写作 ${wan}`);
    }
    return finding('UNIT-NAME', `${name}「${raw}」写了单位，单元格只写数字`, `写作 ${n}`);
  }
  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)) {
    return finding('CELL-THOUSANDS', `${name}写的是「${raw}」：「,」是千位分隔符，单元格里的数不加分隔符`, `写作 ${text.replace(/,/g, '')}`);
  }
  if (/^\d+(\s*[，、,;；]\s*\d+)+$|^\d+(\s+\d+)+$/.test(text)) {
    const fullwidth = /[，、；]/.test(raw);
    return finding(
      'CELL-TYPE',
      `${name}写成了「${raw}」：一格只写了${fullwidth ? '用全角标点分隔的' : ''}几个数`,
      `一格只写一个数；一行的各个数${fullwidth ? '用半角逗号「,」（不是全角「，」）' : '用半角逗号'}分隔，写在方括号里，如 [0, 0, 0, 0, 0, 0, 0]`,
    );
  }
  if (/^[+-]?\d+(?:\.\d+)?$/.test(text)) {
    if (text !== raw) return finding('CELL-TYPE', `${name}「${raw}」含有空格或全角字符`, `写作 ${text}`);
    return finding('CELL-TYPE', `${name}写成了带引号的文字 "${raw}"`, `去掉引号，写作 ${raw}`);
  }
  return finding('CELL-TYPE', `${name}应为${KIND_TEXT[kind]}，实际写的是「${raw}」`);
}

/** Levenshtein distance, small strings only (keys). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The allowed key a mistyped or Chinese-named key most likely means. */
export function suggestKey(edition: EditionId, parent: DataPath, key: string): string | undefined {
  const candidates = allowedKeys(edition, parent);
  const byTitle = candidates.find((c) => c.title && (c.title === key || c.title.includes(key) || key.includes(c.title.replace(/^.*·/, ''))));
  if (byTitle && /[^\x00-\x7f]/.test(key)) return byTitle.key;
  const lower = key.toLowerCase().replace(/[-\s]/g, '_');
  let best: { key: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(lower, c.key);
    if (d <= Math.max(2, Math.floor(c.key.length / 3)) && (!best || d < best.d)) best = { key: c.key, d };
  }
  return best?.key;
}

function unknownKey(edition: EditionId, parent: DataPath, key: string): Finding {
  const path = [...parent, key];
  // `{ decisions: 1,035 }`: in a flow mapping the comma of a thousands separator ends the value
  // (no key of the contract is a number; YAML reads `035` as 35)
  if (/^\d{1,3}$/.test(key)) {
    const where = parent.length ? describePath(edition, parent) : '顶层';
    return { path, atKey: true, severity: 'error', rule: 'CELL-THOUSANDS', message: `${where}中逗号后的数被 YAML 读成了一个键「${key}」：花括号里的「,」分隔各项，数字中的千位分隔符把一个数拆开了` };
  }
  const other = EDITION_IDS.find((id) => id !== edition && schemaAt(id, path));
  if (other) {
    const title = schemaAt(other, path)?.title;
    const e = editionInfo(other);
    return {
      path,
      atKey: true,
      severity: 'error',
      rule: 'FMT-KEY',
      message: `「${key}」${title ? `（${title}）` : ''}属于 ${other} 版格式（${e.notice}），本报告按 ${edition} 版（${editionInfo(edition).notice}）填写，没有这一项`,
    };
  }
  const suggestion = suggestKey(edition, parent, key);
  const where = parent.length ? `${describePath(edition, parent)}下` : '顶层';
  const allowed = allowedKeys(edition, parent).map((c) => c.key);
  const title = allowedKeys(edition, parent).find((c) => c.key === suggestion)?.title;
  const hint = suggestion ? `您是否想写「${suggestion}」${title ? `（${title}）` : ''}？` : allowed.length ? `改正键名或删去这一项；这里可用的键：${allowed.join('、')}` : undefined;
  return { path, atKey: true, severity: 'error', rule: 'UNKNOWN-KEY', message: `${where}没有「${key}」这一项`, ...(hint ? { hint } : {}) };
}

/**
 * A row with too many figures where one is written as three digits right after another (`[1,035, …]`):
 * likely a thousands separator the row's commas split. A hint, since `[1,200, …]` may be two figures.
 */
function thousandsHint(path: DataPath, value: unknown, writtenAt: ((path: DataPath) => string | undefined) | undefined): string {
  if (!Array.isArray(value) || !writtenAt) return '';
  for (let i = 1; i < value.length; i++) {
    const before = writtenAt([...path, i - 1]);
    const after = writtenAt([...path, i]);
    if (before && after && /^\d{1,3}$/.test(before) && /^\d{3}$/.test(after) && (after.startsWith('0') || value.length > 7)) {
      return `「${before},${after}」若是一个数，「,」是千位分隔符：写作 ${before}${after}（单元格里的数不加分隔符）`;
    }
  }
  return '';
}

/** Turns one ajv error into a finding (undefined for errors that only echo another, e.g. `if`). */
export function findingOf(edition: EditionId, error: ErrorObject, data: unknown, writtenAt?: (path: DataPath) => string | undefined): Finding | undefined {
  const path = toDataPath(error.instancePath, data);
  const written = writtenAt?.(path);
  const params = error.params as Record<string, unknown>;
  const value = error.data;
  switch (error.keyword) {
    case 'x-row-total':
    case 'x-column-sum':
    case 'x-balance':
    case 'x-min-sum':
    case 'x-not-less': {
      const p = params as unknown as RuleErrorParams;
      const found = findDataCell(edition, dotted(path));
      const column = found ? columnName(found.grid, found.cell) : '';
      const message = p.message.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (name === 'cell') return describePath(edition, path);
        if (name === 'column') return column;
        const v = (p as unknown as Record<string, unknown>)[name];
        return v === undefined ? `{${name}}` : String(v);
      });
      return { path, severity: p.severity, rule: p.rule, message };
    }
    case 'if':
      return undefined;
    case 'required': {
      const missing = String(params.missingProperty);
      const child = [...path, missing];
      const inTable = ['active_disclosure', 'applications', 'review_litigation'].includes(String(child[0]));
      const tail = inTable ? '：表格的每一格都要填写' : '';
      return { path, severity: 'error', rule: 'MISSING', message: `缺少${describePath(edition, child)}（${missing}）${tail}`, hint: inTable ? `补上 ${missing}；没有发生的填 0` : `补上 ${missing}` };
    }
    case 'additionalProperties':
      return unknownKey(edition, path, String(params.additionalProperty));
    case 'const':
      if (path.length === 1 && path[0] === 'format') {
        const wrote =
          typeof value === 'number'
            ? `数字 ${value}（未加引号）`
            : value !== null && typeof value === 'object'
              ? (Array.isArray(value) ? '一个列表' : '一组键值')
              : `「${String(value)}」`;
        return { path, severity: 'error', rule: 'FMT-VERSION', message: `format 写的是${wrote}，应为 "2019" 或 "2021"（带引号）` };
      }
      break;
    case 'minimum':
    case 'maximum':
      if (path.length === 1 && path[0] === 'year') {
        const year = value as number;
        // the last year any edition accepts (the schema's bound of the edition in force)
        const last = Math.max(...EDITION_IDS.map((id) => schemaAt(id, ['year'])?.maximum as number));
        if (error.keyword === 'maximum' && year > last) {
          return { path, severity: 'error', rule: 'YEAR-RANGE', message: `报告年度写的是 ${written ?? String(year)}，超出 nianbao 支持的范围（${editionInfo(EDITION_IDS[0]).years.from}–${last} 年）` };
        }
        return { path: ['format'], severity: 'error', rule: 'FMT-YEAR', message: formatYearMessage(edition, year), ...formatYearHint(year) };
      }
      if (error.keyword === 'minimum') return { path, severity: 'error', rule: 'CELL-NEGATIVE', message: `${describePath(edition, path)}为 ${String(value)}，不能为负数` };
      break;
    case 'type': {
      const expected = String(params.type);
      if (expected === 'integer' || expected === 'number') return badCell(edition, path, value, written);
      const name = describePath(edition, path);
      const valueType = Array.isArray(value) ? 'array' : value !== null && typeof value === 'object' ? 'object' : undefined;
      const other = EDITION_IDS.find((id) => id !== edition && valueType && resolveType(schemaAt(id, path)) === valueType);
      if (other && (expected === 'array' || expected === 'object')) {
        const shape = expected === 'array' ? `是一行 ${String(schemaAt(edition, path)?.minItems ?? '')} 个数` : `分为 ${allowedKeys(edition, path).map((c) => c.key).join('、')} 几项`;
        return {
          path,
          severity: 'error',
          rule: 'FMT-KEY',
          message: `${name}在 ${edition} 版格式（${editionInfo(edition).notice}）中${shape}；这里是 ${other} 版（${editionInfo(other).notice}）的写法`,
          hint: `按 ${edition} 版的表格改写这一项`,
        };
      }
      if (expected === 'array') {
        const n = (schemaAt(edition, path)?.minItems as number | undefined) ?? 0;
        return { path, severity: 'error', rule: 'CELL-TYPE', message: `${name}应为 ${n} 个数的列表`, hint: `写在一对方括号里，用半角逗号分隔，如 [${Array(n).fill(0).join(', ')}]` };
      }
      if (expected === 'object' && path.length === 1 && path[0] === 'agency' && typeof value === 'string') {
        return { path, severity: 'error', rule: 'CELL-TYPE', message: `${name}应写成键值对，不是一段文字`, hint: `写作 agency: { name: ${JSON.stringify(value)} }（机关名称写在 name 下）` };
      }
      if (expected === 'object') {
        return { path, severity: 'error', rule: 'CELL-TYPE', message: `${name}应为键值对${value === null ? '，现在是空的' : ''}`, hint: '在下一行缩进写出各项' };
      }
      if (expected === 'string') {
        const hint = typeof value === 'number' ? (path[0] === 'agency' ? `加引号，写作 "${String(value)}"（不加引号的数字会丢掉开头的 0）` : `加引号，写作 "${String(value)}"`) : undefined;
        return { path, severity: 'error', rule: 'CELL-TYPE', message: `${name}应为文字${typeof value === 'number' ? `，写的是数字 ${String(value)}` : ''}`, hint: hint ?? '写成文字，必要时加引号' };
      }
      return { path, severity: 'error', rule: 'CELL-TYPE', message: `${name}的类型不对（应为 ${expected}）`, hint: '对照 nianbao init 生成的模板改正这一项' };
    }
    case 'minItems':
    case 'maxItems': {
      const titles = ((schemaAt(edition, path)?.prefixItems as { title?: string }[] | undefined) ?? []).map((s) => String(s.title ?? '').replace(/^.*·/, ''));
      const n = Array.isArray(value) ? value.length : 0;
      const hint = thousandsHint(path, value, writtenAt);
      return {
        path,
        severity: 'error',
        rule: 'ROW-LENGTH',
        message: `${describePath(edition, path)}应有 ${titles.length} 个数（${titles.join('、')}），实际写了 ${n} 个`,
        ...(hint ? { hint } : {}),
      };
    }
    case 'exclusiveMaximum':
      // quote the digits as written: beyond 2^53 the parsed number is no longer what the clerk typed
      return { path, severity: 'error', rule: 'CELL-TYPE', message: `${describePath(edition, path)}写的是「${written ?? String(value)}」，数值过大（超出可精确表示的范围）`, hint: '核对这一格，写出实际的数' };
    case 'pattern': {
      const invalid = typeof value === 'string' ? notACalendarDate(value) : undefined;
      if (invalid) return { path, severity: 'error', rule: 'DATE-INVALID', message: `${describePath(edition, path)}「${value as string}」不是日历上的日期：${invalid}` };
      return { path, severity: 'error', rule: 'DATE-FORMAT', message: `${describePath(edition, path)}「${String(value)}」不是 "2022-01-20" 这样的年-月-日形式` };
    }
    case 'minLength': {
      // the rule's own hint offers deleting the line, which for a required item only trades this error for another
      const required = (schemaAt(edition, path.slice(0, -1))?.required as string[] | undefined)?.includes(String(path.at(-1))) === true;
      return { path, severity: 'error', rule: 'EMPTY-TEXT', message: `${describePath(edition, path)}不能为空`, ...(required ? { hint: '填写这一项：这是必填项，不能删去' } : {}) };
    }
  }
  return { path, severity: 'error', rule: 'SCHEMA', message: `${describePath(edition, path)}：${error.message ?? '不符合格式要求'}` };
}

/** Why a date of the right shape (yyyy-mm-dd) is not on the calendar, or undefined when it is or has another shape. */
function notACalendarDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `没有 ${month} 月，月份应为 01–12`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${year} 年 ${month} 月只有 ${days} 天`;
  return undefined;
}

function resolveType(node: Record<string, unknown> | undefined): string | undefined {
  return typeof node?.type === 'string' ? node.type : undefined;
}

export function formatYearMessage(edition: EditionId, year: number): string {
  const right = editionForYear(year);
  if (!right) return `报告年度 ${year} 早于 2019 年，nianbao 只支持国办公开办函〔2019〕60号及以后的格式`;
  return `${year} 年度报告应使用 ${right} 版格式（${editionInfo(right).notice}），本文件写的是 format: "${edition}"`;
}

/** The fix of an FMT-YEAR finding: the edition to write, when there is one. */
export function formatYearHint(year: number): { hint: string } {
  const right = editionForYear(year);
  return { hint: right ? `把 format 改为 "${right}"，并按该版表格填写（或核对报告年度）` : '核对报告年度：nianbao 支持 2019 年度及以后的报告' };
}
