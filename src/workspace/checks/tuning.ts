/**
 * What a county tunes in nianbao.yaml, against the registry of checks (format/checks.yaml):
 *
 *   checks:
 *     severity: { TEXT-PUNCT: error, S5-PREVIOUS: off }      # error | warning | off, tunable rules only
 *     sections:                                              # per narrative section, off by default
 *       overview: { max_length: 1000 }                       # 一、总体情况 at most 1000 字 (S-LENGTH)
 *       other: { topics: [信息处理费] }                       # must mention each (S-TOPICS)
 *   waivers:                                                 # one known, explained finding stops failing CI
 *     - { rule: S5-PREVIOUS, report: reports/2024/红椿镇.yaml, reason: 上年无问题 }
 *
 * Severities and waivers are applied to each report's findings by the workspace check; a waiver that
 * no finding used is itself a warning (WAIVER), so stale ones are removed in review.
 */
import { checkInfo, checkRegistry } from '../../format/checks.js';
import { UserError } from '../../diagnostics/errors.js';
import type { Diagnostic } from '../../validate/types.js';
import { isUnfilled, narrativeLabel, narrativeTexts, type NarrativeText } from '../../validate/narrative-text.js';
import { OVERVIEW_TOPICS } from '../../format/official.js';
import { atText, type ReportEntry } from './entry.js';
import { makeDiagnostic } from '../../validate/diagnostic.js';
import type { Position, YamlSource } from '../config/source.js';

export type SeverityOverride = 'error' | 'warning' | 'off';

export interface SectionRule {
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly topics?: readonly string[];
}

export interface Waiver {
  readonly rule: string;
  /** the report's path relative to the workspace root, / separated */
  readonly report: string;
  readonly reason: string;
  /** only findings whose message contains this */
  readonly match?: string;
  /** where the waiver is written in nianbao.yaml */
  readonly at: Position;
}

export interface Tuning {
  readonly severity: Readonly<Record<string, SeverityOverride>>;
  readonly sections: Readonly<Record<string, SectionRule>>;
  readonly waivers: readonly Waiver[];
}

export const NO_TUNING: Tuning = { severity: {}, sections: {}, waivers: [] };

/** The narrative keys a section rule may name: overview is the whole of 一 (its five topics together). */
export const SECTION_KEYS = ['preface', 'overview', ...OVERVIEW_TOPICS.map((t) => `overview.${t.key}`), 'problems', 'other'] as const;

type Fail = (at: Position, message: string) => UserError;

function tunableRule(source: YamlSource, fail: Fail, id: unknown, at: Position, where: string): string {
  const info = typeof id === 'string' ? checkInfo(id) : undefined;
  if (!info) {
    const near = typeof id === 'string' ? checkRegistry().find((c) => c.id.toLowerCase() === id.toLowerCase()) : undefined;
    throw fail(at, `${where}「${String(id)}」不是 nianbao 的规则编号${near ? `，您是否想写「${near.id}」？` : ''}（nianbao rules 列出全部规则）`);
  }
  if (!info.tunable) throw fail(at, `${where}「${info.id}」不可调整：它保证报告能被正确读取、表格数字自洽，出错的报告不能生成（nianbao rules 中标为「固定」）`);
  return info.id;
}

/** Reads `checks.severity`, `checks.sections` and `waivers` (`checks` already known to be a mapping). */
export function readTuning(source: YamlSource, checks: Record<string, unknown> | undefined, waivers: unknown, fail: Fail): Tuning {
  const severity: Record<string, SeverityOverride> = {};
  const raw = checks?.severity;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw fail(source.locate(['checks', 'severity']), '「checks.severity」应为键值映射，如 { TEXT-PUNCT: error, S5-PREVIOUS: off }');
    for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
      const rule = tunableRule(source, fail, id, source.locateKey(['checks', 'severity', id]), '「checks.severity」中的');
      if (value !== 'error' && value !== 'warning' && value !== 'off') throw fail(source.locate(['checks', 'severity', id]), `「checks.severity.${id}」应为 error（错误）、warning（警告）或 off（不检查）`);
      severity[rule] = value;
    }
  }
  const sections: Record<string, SectionRule> = {};
  const rawSections = checks?.sections;
  if (rawSections !== undefined && rawSections !== null) {
    if (typeof rawSections !== 'object' || Array.isArray(rawSections)) throw fail(source.locate(['checks', 'sections']), '「checks.sections」应为键值映射，如 { overview: { max_length: 1000 } }');
    for (const [key, value] of Object.entries(rawSections as Record<string, unknown>)) {
      if (!(SECTION_KEYS as readonly string[]).includes(key)) throw fail(source.locateKey(['checks', 'sections', key]), `「checks.sections」下未知的部分「${key}」。可用：${SECTION_KEYS.join('、')}`);
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw fail(source.locate(['checks', 'sections', key]), `「checks.sections.${key}」应为键值映射，可用 max_length、min_length（字数）和 topics（必须写到的词）`);
      const rule: { maxLength?: number; minLength?: number; topics?: string[] } = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const at = source.locate(['checks', 'sections', key, k]);
        if (k === 'max_length' || k === 'min_length') {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw fail(at, `「checks.sections.${key}.${k}」应为正整数（字数，不计空白）`);
          rule[k === 'max_length' ? 'maxLength' : 'minLength'] = v;
        } else if (k === 'topics') {
          if (!Array.isArray(v) || v.length === 0 || !v.every((t) => typeof t === 'string' && t.trim() !== '')) throw fail(at, `「checks.sections.${key}.topics」应为词语列表，如 [信息处理费, 政策解读]`);
          rule.topics = v as string[];
        } else throw fail(source.locateKey(['checks', 'sections', key, k]), `「checks.sections.${key}」下未知的键「${k}」。可用：max_length、min_length、topics`);
      }
      sections[key] = rule;
    }
  }
  const list: Waiver[] = [];
  if (waivers !== undefined && waivers !== null) {
    if (!Array.isArray(waivers)) throw fail(source.locate(['waivers']), '「waivers」应为列表，每项写明 rule、report 和 reason');
    waivers.forEach((w, i) => {
      const at = source.locate(['waivers', i]);
      if (!w || typeof w !== 'object' || Array.isArray(w)) throw fail(at, `waivers 第 ${i + 1} 项应为键值映射：{ rule: 规则编号, report: reports/2024/某镇.yaml, reason: 原因 }`);
      const item = w as Record<string, unknown>;
      for (const k of Object.keys(item)) if (!['rule', 'report', 'reason', 'match'].includes(k)) throw fail(source.locateKey(['waivers', i, k]), `waivers 第 ${i + 1} 项有未知的键「${k}」。可用：rule、report、reason、match`);
      const rule = tunableRule(source, fail, item.rule, item.rule === undefined ? at : source.locate(['waivers', i, 'rule']), `waivers 第 ${i + 1} 项的规则`);
      if (typeof item.report !== 'string' || item.report.trim() === '') throw fail(at, `waivers 第 ${i + 1} 项缺少 report（报告文件相对于工作区的路径，如 reports/2024/红椿镇.yaml）`);
      if (typeof item.reason !== 'string' || item.reason.trim() === '') throw fail(at, `waivers 第 ${i + 1} 项缺少 reason：豁免必须写明原因，供审核`);
      if (item.match !== undefined && (typeof item.match !== 'string' || item.match === '')) throw fail(source.locate(['waivers', i, 'match']), `waivers 第 ${i + 1} 项的 match 应为问题说明中的一段文字`);
      const report = item.report.trim().replace(/\\/g, '/').replace(/^\.\//, '');
      list.push({ rule, report, reason: item.reason.trim(), ...(typeof item.match === 'string' ? { match: item.match } : {}), at });
    });
  }
  return { severity, sections, waivers: list };
}

/** S-LENGTH and S-TOPICS: the county's section rules. */
export function sectionRuleDiagnostics(entry: ReportEntry, sections: Tuning['sections']): Diagnostic[] {
  const out: Diagnostic[] = [];
  // an unfilled prompt is reported as such (NARRATIVE-UNFILLED), not measured
  const texts = narrativeTexts(entry.data).filter((t) => !isUnfilled(t.text));
  for (const [key, rule] of Object.entries(sections)) {
    const parts: NarrativeText[] = texts.filter((t) => t.key === key || (key === 'overview' && t.key.startsWith('overview.')));
    const label = key.startsWith('overview.') ? `${narrativeLabel(key)}${OVERVIEW_TOPICS.find((t) => `overview.${t.key}` === key)?.heading ?? ''}` : narrativeLabel(key);
    const text = parts.map((p) => p.text).join('\n');
    const path = parts[0]?.path ?? (entry.data?.narrative ? ['narrative'] : []);
    const length = text.replace(/\s/g, '').length;
    if (rule.maxLength !== undefined && length > rule.maxLength) out.push(atText(entry, path, '', 'warning', 'S-LENGTH', `${label}共 ${length} 字，超过本县规定的 ${rule.maxLength} 字`));
    if (rule.minLength !== undefined && length < rule.minLength) out.push(atText(entry, path, '', 'warning', 'S-LENGTH', `${label}只有 ${length} 字，少于本县规定的 ${rule.minLength} 字`));
    for (const topic of rule.topics ?? []) {
      if (!text.includes(topic)) out.push(atText(entry, path, '', 'warning', 'S-TOPICS', `${label}没有写到本县要求的「${topic}」`));
    }
  }
  return out;
}

/** A report's findings after the county's severities and waivers; `used` collects the waivers that applied. */
export function applyTuning(diagnostics: readonly Diagnostic[], tuning: Tuning, rel: string, used: Set<Waiver>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const waiver = tuning.waivers.find((w) => w.rule === d.rule && w.report === rel && (w.match === undefined || d.message.includes(w.match)));
    if (waiver) {
      used.add(waiver);
      continue;
    }
    const override = tuning.severity[d.rule];
    if (override === 'off') continue;
    out.push(override && override !== d.severity ? { ...d, severity: override } : d);
  }
  return out;
}

/** WAIVER: a waiver of a checked report that no finding used (stale: the finding was fixed). */
export function unusedWaivers(tuning: Tuning, checked: ReadonlySet<string>, used: ReadonlySet<Waiver>, configFile: string): Diagnostic[] {
  return tuning.waivers
    .filter((w) => checked.has(w.report) && !used.has(w))
    .map((w) => makeDiagnostic(configFile, w.at, 'warning', 'WAIVER', `waivers 第 ${tuning.waivers.indexOf(w) + 1} 条（${w.rule}，${w.report}）没有对应任何问题，可以删除`));
}
