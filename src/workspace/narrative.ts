/**
 * Narrative against tables (FORMAT.md §3.4), as warnings: figures the text states about
 * applications, 行政复议 and 行政诉讼 must equal the tables (TX-T3, TX-T4); and, in the 2021 edition,
 * 六 states the 信息处理费 situation (S6-FEE) and 五 is not empty (S5-EMPTY).
 *
 * The patterns read the phrasing real reports use (共收到政府信息公开申请1件, 上年结转3件,
 * 结转下年度继续办理2件, 行政复议案件0件, 未发生行政诉讼); a figure quoted through a placeholder
 * (`{{三.一.总计}}`) is printed from the table and cannot disagree, so it is not matched.
 */
import type { Diagnostic } from '../validate/types.js';
import { atText, narrativeLabel, narrativeTexts, num, type ReportEntry } from './entry.js';
import { rowName } from './labels.js';
import { isUnfilled } from '../validate/narrative-text.js';

const DIGITS = '零〇一二两三四五六七八九';
const NUMBER = `(\\d+|[${DIGITS}十百千]+)`;

/** 12 → 12, 十二 → 12, 一百零五 → 105, 两 → 2. */
export function parseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    const d = '零〇一二两三四五六七八九'.indexOf(ch);
    if (d >= 0) {
      digit = [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9][d];
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : 0;
    if (unit === 0) return undefined;
    total += (digit === 0 && unit === 10 ? 1 : digit) * unit;
    digit = 0;
  }
  return total + digit;
}

interface Claim {
  readonly id: 'received' | 'carried_over' | 'carried_forward' | 'review' | 'litigation';
  readonly pattern: RegExp;
}

/** Between the subject and the figure: a few characters, but never across a clause. */
const GAP = '[^，。；：,;\\n]{0,14}?';

const CLAIMS: readonly Claim[] = [
  { id: 'received', pattern: new RegExp(`(?:收到|受理|新收)${GAP}申请${GAP}${NUMBER}\\s*[件条个]`, 'g') },
  { id: 'carried_over', pattern: new RegExp(`上一?年度?结转${GAP}${NUMBER}\\s*件`, 'g') },
  { id: 'carried_forward', pattern: new RegExp(`结转(?:至|到)?下一?年度?${GAP}${NUMBER}\\s*件`, 'g') },
  { id: 'review', pattern: new RegExp(`行政复议${GAP}${NUMBER}\\s*[件起]`, 'g') },
  { id: 'litigation', pattern: new RegExp(`行政诉讼${GAP}${NUMBER}\\s*[件起]`, 'g') },
];

/** 未发生…行政复议 / 没有…行政诉讼: a stated zero. */
const NONE = (subject: string) => new RegExp(`(?:未(?:发生|收到|出现|有|被)|没有|无)[^，。；,;\\n]{0,16}?${subject}`, 'g');

function tableValues(entry: ReportEntry): Record<Claim['id'], { values: number[]; label: string } | undefined> {
  const d = entry.data;
  const edition = entry.edition ?? '2021';
  const total = (p: (string | number)[]) => num(d, p);
  const received = total(['applications', 'received', 6]);
  const carried = total(['applications', 'carried_over', 6]);
  const forward = total(['applications', 'carried_forward', 6]);
  const review = total(['review_litigation', 'review', 4]);
  const direct = total(['review_litigation', 'litigation_direct', 4]);
  const after = total(['review_litigation', 'litigation_after_review', 4]);
  return {
    received:
      received === undefined
        ? undefined
        : {
            values: carried === undefined ? [received] : [received, received + carried],
            label: `表三「${rowName(edition, 'applications.received.6')}」总计为 ${received}${carried ? `（连同上年结转共 ${received + carried}）` : ''}`,
          },
    carried_over: carried === undefined ? undefined : { values: [carried], label: `表三「${rowName(edition, 'applications.carried_over.6')}」总计为 ${carried}` },
    carried_forward: forward === undefined ? undefined : { values: [forward], label: `表三「${rowName(edition, 'applications.carried_forward.6')}」总计为 ${forward}` },
    review: review === undefined ? undefined : { values: [review], label: `表四「行政复议」「总计」为 ${review}` },
    litigation:
      direct === undefined || after === undefined
        ? undefined
        : { values: [direct + after], label: `表四「行政诉讼」两栏（未经复议直接起诉 ${direct}、复议后起诉 ${after}）总计为 ${direct + after}` },
  };
}

export function narrativeDiagnostics(entry: ReportEntry): Diagnostic[] {
  if (!entry.data) return [];
  const out: Diagnostic[] = [];
  const table = tableValues(entry);
  for (const { path, key, text } of narrativeTexts(entry.data)) {
    // an unfilled prompt is an error of its own (NARRATIVE-UNFILLED); nothing more to say about it
    if (key === 'preface' || isUnfilled(text)) continue;
    const section = narrativeLabel(key);
    for (const claim of CLAIMS) {
      const expected = table[claim.id];
      if (!expected) continue;
      for (const match of text.matchAll(claim.pattern)) {
        const stated = parseNumber(match[1]);
        if (stated === undefined || expected.values.includes(stated)) continue;
        const rule = claim.id === 'review' || claim.id === 'litigation' ? 'TX-T4' : 'TX-T3';
        out.push(atText(entry, path, match[0], 'warning', rule, `${section}中写「${match[0]}」，但${expected.label}`));
      }
    }
    for (const [id, subject] of [['review', '行政复议'], ['litigation', '行政诉讼']] as const) {
      const expected = table[id];
      if (!expected || expected.values.includes(0)) continue;
      for (const match of text.matchAll(NONE(subject))) {
        out.push(atText(entry, path, match[0], 'warning', 'TX-T4', `${section}中写「${match[0]}」，但${expected.label}`));
      }
    }
  }
  if (entry.edition === '2021') out.push(...sectionChecks2021(entry));
  return out;
}

function sectionChecks2021(entry: ReportEntry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const narrative = (entry.data?.narrative ?? {}) as Record<string, unknown>;
  const unfilled = (value: unknown) => typeof value === 'string' && isUnfilled(value);
  const other = typeof narrative.other === 'string' ? narrative.other : '';
  const problems = typeof narrative.problems === 'string' ? narrative.problems : '';
  const sixPath = narrative.other === undefined ? (entry.data?.narrative ? ['narrative'] : []) : ['narrative', 'other'];
  const six = narrativeLabel('other');
  const five = narrativeLabel('problems');
  if (!other.includes('信息处理费') && !unfilled(narrative.other)) {
    const informal = /信息公开处理费|信息处理费用|信息公开费/.exec(other);
    out.push(
      informal
        ? atText(entry, sixPath, informal[0], 'warning', 'S6-FEE', `${six}写的是「${informal[0]}」，请使用《政府信息公开信息处理费管理办法》的正式名称「信息处理费」`)
        : atText(entry, sixPath, '', 'warning', 'S6-FEE', `${six}未说明收取信息处理费的情况（2021 版格式要求报告；未收取也应写明，例如「本年度未收取信息处理费」）`),
    );
  }
  const unpaid = num(entry.data, ['applications', 'results', 'other', 'unpaid_fees', 6]);
  if (unpaid !== undefined && unpaid > 0 && !/收费通知/.test(other) && !unfilled(narrative.other)) {
    out.push(atText(entry, sixPath, '', 'warning', 'S6-T3', `表三「申请人逾期未按收费通知要求缴纳费用」总计为 ${unpaid}，但${six}未说明发出收费通知的情况`));
  }
  const trimmed = problems.replace(/[\s。.]/g, '');
  if (trimmed === '' || trimmed === '无' || trimmed === '暂无') {
    const p = narrative.problems === undefined ? (entry.data?.narrative ? ['narrative'] : []) : ['narrative', 'problems'];
    out.push(atText(entry, p, '', 'warning', 'S5-EMPTY', `${five}为空或只写了「无」；2021 版格式要求如实报告存在的主要问题及改进情况`));
  }
  return out;
}
